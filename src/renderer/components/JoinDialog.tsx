import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react'
import { shownName } from '../../shared/text/display-names.js'
import type { ErrorInfo } from '../state/types'
import { Dialog } from './Dialog'
import { ErrorNote } from './ErrorNote'
import { useSecondsSince } from './use-seconds-since'

export interface JoinDialogProps {
  initialCode: string
  busy: boolean
  startedAt: number | null
  error: ErrorInfo | null
  /** The name of the room the invite was to, when this profile is in it already. */
  alreadyIn: string | null
  onJoin: (code: string) => void
  onClose: () => void
}

/**
 * Paste an invite (its code, its link, or the message it came in); shows progress while an admin
 * is looked for.
 */
export function JoinDialog({
  initialCode,
  busy,
  startedAt,
  error,
  alreadyIn,
  onJoin,
  onClose
}: JoinDialogProps) {
  const [code, setCode] = useState(initialCode)
  const seconds = useSecondsSince(startedAt)
  useEffect(() => setCode(initialCode), [initialCode])
  const canJoin = code.trim().length > 0 && !busy
  const submit = (event?: FormEvent) => {
    event?.preventDefault()
    if (canJoin) onJoin(code)
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault()
      submit()
    }
  }
  return (
    <Dialog title="Join a room" onClose={onClose} size="small">
      <form className="form" onSubmit={submit}>
        <label className="field">
          <span className="field-label">Invite code or link</span>
          <textarea
            data-testid="join-code"
            data-autofocus
            className="input mono"
            rows={3}
            value={code}
            spellCheck={false}
            placeholder="Paste the invite you were sent (the code, the link, or the whole message)"
            readOnly={busy}
            onChange={(e) => setCode(e.target.value)}
            onKeyDown={onKeyDown}
          />
        </label>
        {busy && (
          <div className="join-progress" role="status" data-testid="join-progress">
            <span className="spinner small" aria-hidden />
            <span>
              Finding the room and asking an admin to let you in… {seconds > 0 && `${seconds} s`}
              <br />
              <span className="muted small">An admin of the room has to be online.</span>
            </span>
          </div>
        )}
        {error !== null && !busy && <ErrorNote error={error} testId="join-error" />}
        {alreadyIn !== null && !busy && (
          <p className="info-note" role="status" data-testid="join-already-in">
            You are already in <bdi>{shownName(alreadyIn)}</bdi>: it is open behind this dialog.
          </p>
        )}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            {busy ? 'Close (keeps trying)' : 'Cancel'}
          </button>
          <button
            type="submit"
            className="button primary"
            data-testid="join-submit"
            disabled={!canJoin}
          >
            {busy ? 'Joining…' : 'Join'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
