import { useState, type FormEvent } from 'react'
import { MAX_NAME_CHARS } from '../../shared/api/errors.js'
import type { ErrorInfo } from '../state/types'
import { ErrorNote } from './ErrorNote'
import { RecoveryPhrase } from './RecoveryPhrase'

export interface OnboardingProps {
  busy: boolean
  error: ErrorInfo | null
  onSubmit: (name: string) => void
  /** "I already use Roost": the profile back from its 24 words. */
  onRestore: (name: string, phrase: string) => void
}

/**
 * First run: the one thing Roost needs is the name other people will see; someone who already
 * uses Roost brings their profile back with its 24 words instead.
 */
export function Onboarding({ busy, error, onSubmit, onRestore }: OnboardingProps) {
  const [name, setName] = useState('')
  const [restoring, setRestoring] = useState(false)
  const [phrase, setPhrase] = useState('')
  const trimmed = name.trim()
  const words = phrase
    .trim()
    .split(/\s+/)
    .filter((w) => w !== '').length
  const ready = trimmed.length > 0 && !busy && (!restoring || words === 24)
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (!ready) return
    if (restoring) onRestore(trimmed, phrase)
    else onSubmit(trimmed)
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
            ? 'Type the 24 words of your recovery phrase, in order. Your profile comes back as it was; your rooms can then invite you again.'
            : 'Rooms live on your devices and your friends’ devices: there is no server in between. Choose the name people in your rooms will see. You can change it later.'}
        </p>
        <label className="field">
          <span className="field-label">Your name</span>
          <input
            data-testid="onboarding-name"
            className="input"
            value={name}
            maxLength={MAX_NAME_CHARS}
            autoFocus
            autoComplete="nickname"
            placeholder="e.g. Alice"
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
        {error !== null && <ErrorNote error={error} />}
        <button
          type="submit"
          data-testid="onboarding-submit"
          className="button primary wide"
          disabled={!ready}
        >
          {busy ? 'Creating your profile…' : restoring ? 'Restore my profile' : 'Continue'}
        </button>
        <button
          type="button"
          data-testid="onboarding-restore"
          className="button ghost wide"
          onClick={() => setRestoring(!restoring)}
        >
          {restoring ? 'I am new to Roost' : 'I already use Roost'}
        </button>
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
