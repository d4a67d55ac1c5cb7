import { useState, type FormEvent } from 'react'
import { MAX_NAME_CHARS } from '../../shared/api/errors.js'
import type { ErrorInfo } from '../state/types'
import { ErrorNote } from './ErrorNote'

export interface OnboardingProps {
  busy: boolean
  error: ErrorInfo | null
  onSubmit: (name: string) => void
}

/** First run: the one thing Roost needs is the name other people will see. */
export function Onboarding({ busy, error, onSubmit }: OnboardingProps) {
  const [name, setName] = useState('')
  const trimmed = name.trim()
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (trimmed.length > 0 && !busy) onSubmit(trimmed)
  }
  return (
    <main className="fullscreen">
      <form className="fullscreen-card onboarding" onSubmit={submit}>
        <div className="brand-mark" aria-hidden>
          R
        </div>
        <h1>Welcome to Roost</h1>
        <p className="fullscreen-text">
          Rooms live on your devices and your friends’ devices: there is no server in between.
          Choose the name people in your rooms will see. You can change it later.
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
        {error !== null && <ErrorNote error={error} />}
        <button
          type="submit"
          data-testid="onboarding-submit"
          className="button primary wide"
          disabled={trimmed.length === 0 || busy}
        >
          {busy ? 'Creating your profile…' : 'Continue'}
        </button>
      </form>
    </main>
  )
}
