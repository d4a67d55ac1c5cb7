import { useEffect, useState } from 'react'
import { ErrorBoundary } from '../components/ErrorBoundary'
import { FullScreenMessage } from '../components/FullScreenMessage'
import { ActionsContext, StoreContext, useAppState } from '../state/hooks'
import { initialState } from '../state/initial-state'
import { startSession, type Session } from '../state/session'
import { Store } from '../state/store'
import { AppScreen } from './AppScreen'

/** Owns the store and the session; shows connecting / not running / the app. */
export function Root() {
  const [store] = useState(() => new Store(initialState()))
  const [session, setSession] = useState<Session | null>(null)
  useEffect(() => {
    let cancelled = false
    let started: Session | null = null
    void startSession(store).then((result) => {
      if (cancelled) result?.close()
      else {
        started = result
        setSession(result)
      }
    })
    return () => {
      cancelled = true
      started?.close()
    }
  }, [store])
  return (
    <ErrorBoundary>
      <StoreContext.Provider value={store}>
        <PhaseScreen session={session} />
      </StoreContext.Provider>
    </ErrorBoundary>
  )
}

function PhaseScreen({ session }: { session: Session | null }) {
  const phase = useAppState((s) => s.phase)
  if (phase.kind === 'failed') {
    return (
      <FullScreenMessage
        isError
        title={phase.title}
        message={phase.message}
        command={phase.command}
        action={{ label: 'Try again', onClick: () => window.location.reload() }}
      />
    )
  }
  if (phase.kind === 'connecting' || session === null) {
    return <FullScreenMessage title="Connecting to Roost…" />
  }
  return (
    <ActionsContext.Provider value={session.actions}>
      <AppScreen />
    </ActionsContext.Provider>
  )
}
