import { Component, type ErrorInfo, type ReactNode } from 'react'
import { FullScreenMessage } from './FullScreenMessage'

interface Props {
  children: ReactNode
}
interface State {
  error: Error | null
}

/** A render error shows what happened and a way back, instead of an empty window. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null }

  static getDerivedStateFromError(error: Error): State {
    return { error }
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('Roost UI error', error, info.componentStack)
  }

  override render() {
    if (this.state.error === null) return this.props.children
    return (
      <FullScreenMessage
        isError
        title="Something went wrong in the Roost window"
        message={`${this.state.error.message}. Your messages are safe: they live in Roost itself, not in this window.`}
        action={{ label: 'Reload', onClick: () => window.location.reload() }}
      />
    )
  }
}
