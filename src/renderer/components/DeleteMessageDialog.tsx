import type { ErrorInfo } from '../state/types'
import { ConfirmActions } from './ConfirmActions'
import { Dialog } from './Dialog'
import { ErrorNote } from './ErrorNote'

export interface DeleteMessageDialogProps {
  /** Someone else's message, deleted as an admin. */
  theirs: boolean
  busy: boolean
  error: ErrorInfo | null
  onDelete: () => void
  onClose: () => void
}

/** Asks before deleting for everyone, and says what deleting does and does not do. */
export function DeleteMessageDialog(props: DeleteMessageDialogProps) {
  const { theirs, busy, error, onDelete, onClose } = props
  return (
    <Dialog title="Delete for everyone?" onClose={onClose} size="small">
      <div className="form">
        <p>
          {theirs ? 'As an admin, you delete it for every member: ' : 'Every member will see '}
          {theirs ? 'they will see ' : ''}“Message deleted” in its place. Copies already sent stay
          on members’ devices, encrypted; the room no longer shows them.
        </p>
        {error !== null && <ErrorNote error={error} />}
        <ConfirmActions
          keepLabel="Keep it"
          actLabel="Delete"
          busyLabel="Deleting…"
          busy={busy}
          testId="message-delete-confirm"
          onAct={onDelete}
          onClose={onClose}
        />
      </div>
    </Dialog>
  )
}
