import type { ReactNode } from 'react'
import { Icon } from './Icon'

export interface SidePanelProps {
  title: string
  testId: string
  onClose: () => void
  children: ReactNode
}

/** A panel beside the room (pins, search) with a title and a close button (Esc closes it too). */
export function SidePanel({ title, testId, onClose, children }: SidePanelProps) {
  return (
    <aside className="side-panel" aria-label={title} data-testid={testId}>
      <header className="panel-header">
        <h2>{title}</h2>
        <button
          type="button"
          className="icon-button"
          data-testid={`${testId}-close`}
          aria-label={`Close ${title.toLowerCase()}`}
          title="Close (Esc)"
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </header>
      {children}
    </aside>
  )
}
