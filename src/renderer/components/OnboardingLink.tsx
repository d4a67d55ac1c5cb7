import { useState, type FormEvent, type KeyboardEvent } from 'react'
import type { ErrorInfo } from '../state/types'
import { ErrorNote } from './ErrorNote'
import { useSecondsSince } from './use-seconds-since'

export interface OnboardingLinkProps {
  busy: boolean
  error: ErrorInfo | null
  onLink: (code: string) => void
  onBack: () => void
}

/**
 * First run, "I already use Roost" on another device: the link code made there. This device
 * joins that profile, with its name and rooms; that can take a while, so it says it is trying.
 */
export function OnboardingLink({ busy, error, onLink, onBack }: OnboardingLinkProps) {
  const [code, setCode] = useState('')
  const [startedAt, setStartedAt] = useState<number | null>(null)
  const seconds = useSecondsSince(busy ? startedAt : null)
  const ready = code.trim().length > 0 && !busy
  const submit = (event?: FormEvent) => {
    event?.preventDefault()
    if (!ready) return
    setStartedAt(Date.now())
    onLink(code)
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault()
      submit()
    }
  }
  return (
    <main className="fullscreen">
      <form className="fullscreen-card onboarding" onSubmit={submit}>
        <div className="brand-mark" aria-hidden>
          R
        </div>
        <h1>Link this device</h1>
        <p className="fullscreen-text">
          On a device where you use Roost, open Settings and choose Link a device. Enter the code it
          shows here: this device becomes yours too, with your name and your rooms.
        </p>
        <label className="field">
          <span className="field-label">Link code</span>
          <textarea
            data-testid="onboarding-link-code"
            className="input phrase-input"
            value={code}
            rows={3}
            autoFocus
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            placeholder="roost://link/…"
            readOnly={busy}
            onChange={(e) => setCode(e.target.value)}
            onKeyDown={onKeyDown}
          />
        </label>
        {busy && (
          <div className="join-progress" role="status" data-testid="onboarding-link-progress">
            <span className="spinner small" aria-hidden />
            <span>
              Linking with your other device… {seconds > 0 && `${seconds} s`}
              <br />
              <span className="muted small">Keep Roost open there until this is done.</span>
            </span>
          </div>
        )}
        {error !== null && !busy && <ErrorNote error={error} />}
        <button
          type="submit"
          data-testid="onboarding-link-submit"
          className="button primary wide"
          disabled={!ready}
        >
          {busy ? 'Linking…' : 'Link this device'}
        </button>
        <button
          type="button"
          data-testid="onboarding-back"
          className="button ghost wide"
          disabled={busy}
          onClick={onBack}
        >
          Back
        </button>
      </form>
    </main>
  )
}
