import { useState } from 'react'

export interface ReadOnlyNoteProps {
  /** An admin removed this profile (false: its membership has not synced yet; null: not known yet). */
  removed: boolean | null
  /** Another of this profile's devices unlinked this one. */
  unlinked: boolean
  onLeave: () => void
}

/** In the composer's place when this device cannot write in the room, saying why. */
export function ReadOnlyNote({ removed, unlinked, onLeave }: ReadOnlyNoteProps) {
  const [confirming, setConfirming] = useState(false)
  if (unlinked) {
    return (
      <div className="composer composer-disabled" role="note" data-testid="composer-unlinked">
        <strong>This device was unlinked</strong> from your profile on another of your devices. What
        it had stays readable here; it cannot write, and new messages no longer reach it. To use
        Roost here again, start with a new data folder and link it from a device you use.
      </div>
    )
  }
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
