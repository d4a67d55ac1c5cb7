import type { ErrorInfo } from '../state/types'
import { ConfirmActions } from './ConfirmActions'
import { Dialog } from './Dialog'
import { ErrorNote } from './ErrorNote'

export interface LeaveRoomDialogProps {
  roomName: string
  busy: boolean
  error: ErrorInfo | null
  onLeave: () => void
  onClose: () => void
}

/** Asks before leaving for good (the core refuses the only admin of a room with others in it). */
export function LeaveRoomDialog({ roomName, busy, error, onLeave, onClose }: LeaveRoomDialogProps) {
  return (
    <Dialog title={`Leave ${roomName}?`} onClose={onClose} size="small">
      <div className="form">
        <p>
          Its messages will be gone from this device, and you will need a new invite to come back.
        </p>
        {error !== null && <ErrorNote error={error} />}
        <ConfirmActions
          keepLabel="Keep it"
          actLabel="Leave and delete"
          busyLabel="Leaving…"
          busy={busy}
          testId="room-leave-confirm"
          onAct={onLeave}
          onClose={onClose}
        />
      </div>
    </Dialog>
  )
}
