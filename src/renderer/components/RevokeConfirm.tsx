export interface RevokeConfirmProps {
  onConfirm: () => void
  onCancel: () => void
}

/** The second step of revoking an invite; Esc or Cancel keeps it. */
export function RevokeConfirm({ onConfirm, onCancel }: RevokeConfirmProps) {
  return (
    <span
      className="revoke-confirm"
      role="group"
      aria-label="Revoke this invite?"
      onKeyDown={(event) => {
        // Esc here backs out of the revoke only, not the whole dialog
        if (event.key !== 'Escape') return
        event.preventDefault()
        event.stopPropagation()
        onCancel()
      }}
    >
      <span className="small">Revoke? It stops working for everyone.</span>
      <button
        type="button"
        className="button small"
        data-testid="invite-revoke-cancel"
        autoFocus
        onClick={onCancel}
      >
        Cancel
      </button>
      <button
        type="button"
        className="button small danger"
        data-testid="invite-revoke-confirm"
        onClick={onConfirm}
      >
        Revoke
      </button>
    </span>
  )
}
