import type { Toast } from '../state/types'
import { Icon } from './Icon'

export interface ToastsProps {
  toasts: Toast[]
  onDismiss: (id: number) => void
}

export function Toasts({ toasts, onDismiss }: ToastsProps) {
  if (toasts.length === 0) return null
  return (
    <div className="toasts">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className="toast"
          role="alert"
          data-testid="error"
          data-code={toast.error.code}
        >
          <span className="toast-text">{toast.error.message}</span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss"
            onClick={() => onDismiss(toast.id)}
          >
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
    </div>
  )
}
