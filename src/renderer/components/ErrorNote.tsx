import type { ErrorInfo } from '../state/types'

export interface ErrorNoteProps {
  error: ErrorInfo
  /** A second, more specific test id on the message itself (e.g. join-error). */
  testId?: string
}

/** An inline error: every error the user sees is marked data-testid=error with its code. */
export function ErrorNote({ error, testId }: ErrorNoteProps) {
  return (
    <div className="error-note" role="alert" data-testid="error" data-code={error.code}>
      <span data-testid={testId} data-code={testId === undefined ? undefined : error.code}>
        {error.message}
      </span>
    </div>
  )
}
