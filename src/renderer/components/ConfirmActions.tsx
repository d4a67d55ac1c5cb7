export interface ConfirmActionsProps {
  keepLabel: string
  actLabel: string
  busyLabel: string
  busy: boolean
  testId: string
  onAct: () => void
  onClose: () => void
}

/** A confirmation's two buttons: keep (focused first) and the dangerous one. */
export function ConfirmActions(props: ConfirmActionsProps) {
  return (
    <div className="form-actions">
      <button type="button" className="button" data-autofocus onClick={props.onClose}>
        {props.keepLabel}
      </button>
      <button
        type="button"
        className="button danger"
        data-testid={props.testId}
        disabled={props.busy}
        onClick={props.onAct}
      >
        {props.busy ? props.busyLabel : props.actLabel}
      </button>
    </div>
  )
}
