import { useId, useState, type FormEvent } from 'react'
import { MAX_NAME_CHARS } from '../../shared/api/errors.js'
import type { ErrorInfo } from '../state/types'
import { ErrorNote } from './ErrorNote'
import { OnboardingLink } from './OnboardingLink'
import { RecoveryPhrase } from './RecoveryPhrase'

export interface OnboardingProps {
  busy: boolean
  error: ErrorInfo | null
  onSubmit: (name: string) => void
  /** "I already use Roost": the profile back from its 24 words. */
  /** `name` and `blindPeer` may be '': the record's name, no blind peer. */
  onRestore: (name: string, phrase: string, blindPeer: string) => void
  /** "I already use Roost": this device joins the profile of the device that made the code. */
  onLink: (code: string) => void
}

type Mode = 'new' | 'restore' | 'link'

/**
 * First run: the one thing Roost needs is the name other people will see. Someone who already
 * uses Roost links this device from another one, or brings their profile back with its 24 words.
 */
export function Onboarding({ busy, error, onSubmit, onRestore, onLink }: OnboardingProps) {
  const [mode, setMode] = useState<Mode>('new')
  const alreadyId = useId()
  const [name, setName] = useState('')
  const [phrase, setPhrase] = useState('')
  const [blindPeer, setBlindPeer] = useState('')
  // an error belongs to the form it came from, not to the one switched to since
  const [submittedIn, setSubmittedIn] = useState<Mode | null>(null)
  const shownError = submittedIn === mode ? error : null
  const restoring = mode === 'restore'
  const trimmed = name.trim()
  const words = phrase
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '').length
  // restored, the name the person's record keeps comes back: typing one is optional
  const ready = !busy && (restoring ? words === 24 : trimmed.length > 0)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!ready) return
    setSubmittedIn(mode)
    if (restoring) onRestore(trimmed, phrase, blindPeer.trim())
    else onSubmit(trimmed)
  }
  if (mode === 'link') {
    return (
      <OnboardingLink
        busy={busy}
        error={shownError}
        onLink={(code) => {
          setSubmittedIn('link')
          onLink(code)
        }}
        onBack={() => setMode('new')}
      />
    )
  }
  return (
    <main className="fullscreen">
      <form className="fullscreen-card onboarding" onSubmit={submit}>
        <div className="brand-mark" aria-hidden>
          R
        </div>
        <h1>{restoring ? 'Welcome back' : 'Welcome to Roost'}</h1>
        <p className="fullscreen-text">
          {restoring
            ? 'Type the 24 words of your recovery phrase, in order. Your profile comes back as it was, and your rooms with their history and settings, from any of your devices that is online or from your blind peer.'
            : 'Rooms live on your devices and your friends’ devices: there is no server in between. Choose the name people in your rooms will see. You can change it later.'}
        </p>
        <label className="field">
          <span className="field-label">{restoring ? 'Your name (optional)' : 'Your name'}</span>
          <input
            data-testid="onboarding-name"
            className="input"
            value={name}
            maxLength={MAX_NAME_CHARS}
            autoFocus
            autoComplete="nickname"
            placeholder={restoring ? 'the one your devices know' : 'e.g. Alice'}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        {restoring && (
          <label className="field">
            <span className="field-label">Your 24 words ({words} of 24)</span>
            <textarea
              data-testid="onboarding-phrase"
              className="input phrase-input"
              value={phrase}
              rows={4}
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              onChange={(e) => setPhrase(e.target.value)}
            />
          </label>
        )}
        {restoring && (
          <label className="field">
            <span className="field-label">Your blind peer&rsquo;s key (optional)</span>
            <input
              data-testid="onboarding-blind-peer"
              className="input mono"
              value={blindPeer}
              autoComplete="off"
              spellCheck={false}
              placeholder="needed only when none of your devices is online"
              onChange={(e) => setBlindPeer(e.target.value)}
            />
          </label>
        )}
        {shownError !== null && <ErrorNote error={shownError} />}
        <button
          type="submit"
          data-testid="onboarding-submit"
          className="button primary wide"
          disabled={!ready}
        >
          {busy
            ? restoring
              ? 'Looking for your rooms…'
              : 'Creating your profile…'
            : restoring
              ? 'Restore my profile'
              : 'Continue'}
        </button>
        {restoring ? (
          <button
            type="button"
            data-testid="onboarding-back"
            className="button ghost wide"
            onClick={() => setMode('new')}
          >
            I am new to Roost
          </button>
        ) : (
          <div className="onboarding-choices" role="group" aria-labelledby={alreadyId}>
            <span id={alreadyId} className="field-label">
              I already use Roost
            </span>
            <button
              type="button"
              data-testid="onboarding-link"
              className="button wide"
              disabled={busy}
              onClick={() => setMode('link')}
            >
              Link to a device I use
            </button>
            <button
              type="button"
              data-testid="onboarding-restore"
              className="button ghost wide"
              disabled={busy}
              onClick={() => setMode('restore')}
            >
              Restore with my 24 words
            </button>
          </div>
        )}
      </form>
    </main>
  )
}

/** Right after a new profile: its words, once, with a "write these down" step. */
export function PhraseStep({ phrase, onDone }: { phrase: string; onDone: () => void }) {
  const [written, setWritten] = useState(false)
  return (
    <main className="fullscreen">
      <div className="fullscreen-card onboarding" data-testid="onboarding-phrase-step">
        <h1>Write these words down</h1>
        <p className="fullscreen-text">
          These 24 words are your profile. With them you get it back on a new device if this one is
          lost. Anyone who has them can be you: keep them on paper, offline, and never share them.
          You can see them again in Settings.
        </p>
        <RecoveryPhrase phrase={phrase} />
        <label className="checkbox-line">
          <input
            type="checkbox"
            data-testid="onboarding-phrase-written"
            checked={written}
            onChange={(e) => setWritten(e.target.checked)}
          />
          I wrote the 24 words down
        </label>
        <button
          type="button"
          data-testid="onboarding-phrase-done"
          className="button primary wide"
          disabled={!written}
          onClick={onDone}
        >
          Continue
        </button>
      </div>
    </main>
  )
}
