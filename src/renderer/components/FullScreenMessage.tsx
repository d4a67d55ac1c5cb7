export interface FullScreenMessageProps {
  title: string
  message?: string
  /** A command to run, shown as code under the message. */
  command?: string | null
  /** A failure (marked for tests and read out by screen readers) rather than progress. */
  isError?: boolean
  action?: { label: string; onClick: () => void }
}

/** The whole window for one state: connecting, not running, crashed. Never a blank page. */
export function FullScreenMessage(props: FullScreenMessageProps) {
  const { title, message, command, isError, action } = props
  return (
    <main className="fullscreen">
      <div
        className="fullscreen-card"
        role={isError ? 'alert' : 'status'}
        data-testid={isError ? 'error' : undefined}
      >
        <div className="brand-mark" aria-hidden>
          R
        </div>
        <h1>{title}</h1>
        {message !== undefined && <p className="fullscreen-text">{message}</p>}
        {command && <code className="command">{command}</code>}
        {!isError && <div className="spinner" aria-hidden />}
        {action !== undefined && (
          <button type="button" className="button primary" onClick={action.onClick}>
            {action.label}
          </button>
        )}
      </div>
    </main>
  )
}
