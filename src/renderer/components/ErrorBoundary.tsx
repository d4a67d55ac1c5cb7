import { Component, type ErrorInfo, type ReactNode } from 'react'
import { FullScreenMessage } from './FullScreenMessage'

interface Props {
  children: ReactNode
  /**
   * What shows instead of the children after a render error: given the error and a way to try
   * again. Without one, the whole window shows what happened (the root boundary).
   */
  fallback?: (error: Error, retry: () => void) => ReactNode
  /** Where the boundary is, for the console: 'sidebar', 'message row', … */
  name?: string
  /** A change of this value (another room, another message) clears the error and re-renders. */
  resetKey?: unknown
}
interface State {
  error: Error | null
  resetKey: unknown
}

/**
 * A render error shows what happened and a way back instead of an empty window. The root has
 * one; each panel (sidebar, header, timeline, composer, members, dialogs) and each message row
 * has its own, so one bad record never takes more than its own place with it.
 */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey }

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) }
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    if (Object.is(props.resetKey, state.resetKey)) return null
    return { error: null, resetKey: props.resetKey }
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error(`Roost UI error (${this.props.name ?? 'window'})`, error, info.componentStack)
  }

  private _retry = (): void => this.setState({ error: null })

  override render() {
    const { error } = this.state
    if (error === null) return this.props.children
    if (this.props.fallback !== undefined) return this.props.fallback(error, this._retry)
    return (
      <FullScreenMessage
        isError
        title="Something went wrong in the Roost window"
        message={`${error.message}. Your messages are safe: they live in Roost itself, not in this window.`}
        action={{ label: 'Reload', onClick: () => window.location.reload() }}
      />
    )
  }
}

/** A panel's place after its render failed: says so, and offers to try again. */
export function PanelError({
  className,
  what,
  retry,
  actionLabel = 'Try again'
}: {
  className: string
  what: string
  retry: () => void
  actionLabel?: string
}) {
  return (
    <div className={`${className} panel-error`} role="alert" data-testid="panel-error">
      <p className="muted">{what} could not be shown.</p>
      <button type="button" className="button small" onClick={retry}>
        {actionLabel}
      </button>
    </div>
  )
}

/** A panel with its own boundary: a failure inside shows PanelError in its place. */
export function Panel({
  name,
  className,
  what,
  resetKey,
  children
}: {
  name: string
  /** The class the panel's own root has, so the placeholder takes its place in the layout. */
  className: string
  what: string
  resetKey?: unknown
  children: ReactNode
}) {
  return (
    <ErrorBoundary
      name={name}
      resetKey={resetKey}
      fallback={(_error, retry) => <PanelError className={className} what={what} retry={retry} />}
    >
      {children}
    </ErrorBoundary>
  )
}
