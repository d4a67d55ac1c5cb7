import { useState } from 'react'

export interface ReadOnlyNoteProps {
  /** An admin removed this profile (false: its membership has not synced yet; null: not known yet). */
  removed: boolean | null
  onLeave: () => void
}

/** In the composer's place when this device cannot write in the room, saying why. */
export function ReadOnlyNote({ removed, onLeave }: ReadOnlyNoteProps) {
  const [confirming, setConfirming] = useState(false)
  if (removed === null) {
    return (
      <div className="composer composer-disabled" role="note" data-testid="composer-read-only">
        You cannot write in this room right now.
      </div>
    )
  }
  if (!removed) {
    return (
      <div className="composer composer-disabled" role="note" data-testid="composer-read-only">
        You just joined: you can write once an admin’s device has synced your membership. You can
        read the room meanwhile.
      </div>
    )
  }
  return (
    <div className="composer composer-disabled removed" role="note" data-testid="composer-removed">
      <p>
        <strong>You were removed from this room.</strong> What was said before stays readable here;
        new messages no longer reach you and you cannot write.
      </p>
      {confirming ? (
        <div className="form-actions">
          <span className="muted small">Its messages will be gone from this device.</span>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
          <button
            type="button"
            className="button danger"
            data-testid="leave-room-confirm"
            autoFocus
            onClick={onLeave}
          >
            Leave and delete
          </button>
        </div>
      ) : (
        <div className="form-actions">
          <button
            type="button"
            className="button"
            data-testid="leave-room"
            onClick={() => setConfirming(true)}
          >
            Leave room
          </button>
        </div>
      )}
    </div>
  )
}
