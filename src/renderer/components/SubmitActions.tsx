export interface SubmitActionsProps {
  /** The submit button's test id. */
  testId: string
  label: string
  busyLabel: string
  busy: boolean
  disabled: boolean
  onCancel: () => void
}

/** A form's Cancel and submit buttons; the submit one says what is going on while busy. */
export function SubmitActions({
  testId,
  label,
  busyLabel,
  busy,
  disabled,
  onCancel
}: SubmitActionsProps) {
  return (
    <div className="form-actions">
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button
        type="submit"
        className="button primary"
        data-testid={testId}
        disabled={disabled || busy}
      >
        {busy ? busyLabel : label}
      </button>
    </div>
  )
}
