export interface RevokeConfirmProps {
  onConfirm: () => void
  onCancel: () => void
  /** What is asked, and its consequence; an invite's by default. */
  question?: string
  /** The group's accessible name. */
  label?: string
  actLabel?: string
  /** Prefix of the buttons' test ids: `${testIdPrefix}-cancel`, `${testIdPrefix}-confirm`. */
  testIdPrefix?: string
}

/** The second step of revoking something (an invite, a device); Esc or Cancel keeps it. */
export function RevokeConfirm({
  onConfirm,
  onCancel,
  question = 'Revoke? It stops working for everyone.',
  label = 'Revoke this invite?',
  actLabel = 'Revoke',
  testIdPrefix = 'invite-revoke'
}: RevokeConfirmProps) {
  return (
    <span
      className="revoke-confirm"
      role="group"
      aria-label={label}
      onKeyDown={(event) => {
        // Esc here backs out of the revoke only, not the whole dialog
        if (event.key !== 'Escape') return
        event.preventDefault()
        event.stopPropagation()
        onCancel()
      }}
    >
      <span className="small">{question}</span>
      <button
        type="button"
        className="button small"
        data-testid={`${testIdPrefix}-cancel`}
        autoFocus
        onClick={onCancel}
      >
        Cancel
      </button>
      <button
        type="button"
        className="button small danger"
        data-testid={`${testIdPrefix}-confirm`}
        onClick={onConfirm}
      >
        {actLabel}
      </button>
    </span>
  )
}
