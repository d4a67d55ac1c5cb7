import { Onboarding, PhraseStep } from '../components/Onboarding'
import { Toasts } from '../components/Toasts'
import { useActions, useAppState } from '../state/hooks'
import { MainScreen } from './MainScreen'

export function AppScreen() {
  const profile = useAppState((s) => s.profile)
  const onboarding = useAppState((s) => s.onboarding)
  const toasts = useAppState((s) => s.toasts)
  const actions = useActions()
  return (
    <>
      {profile === null || profile === undefined ? (
        <Onboarding
          busy={onboarding.busy}
          error={onboarding.error}
          onSubmit={actions.completeOnboarding}
          onRestore={actions.restoreProfile}
          onLink={actions.linkThisDevice}
        />
      ) : onboarding.phrase !== null ? (
        <PhraseStep phrase={onboarding.phrase} onDone={actions.phraseWritten} />
      ) : (
        <MainScreen profile={profile} />
      )}
      <Toasts toasts={toasts} onDismiss={actions.dismissToast} />
    </>
  )
}
