import type { Message } from '../../shared/api/contract.js'
import type { ErrorInfo } from '../state/types'
import { ErrorNote } from './ErrorNote'
import { MessageList } from './MessageList'
import { SidePanel } from './SidePanel'

export interface PinsPanelProps {
  messages: Message[] | null
  error: ErrorInfo | null
  names: ReadonlyMap<string, string>
  onOpen: (message: Message) => void
  onClose: () => void
}

/** The room's pinned messages, in timeline order; one opens where it is in the room. */
export function PinsPanel({ messages, error, names, onOpen, onClose }: PinsPanelProps) {
  return (
    <SidePanel title="Pinned messages" testId="pins-panel" onClose={onClose}>
      {error !== null && <ErrorNote error={error} />}
      {messages === null && error === null && <p className="muted small">Loading…</p>}
      {messages !== null && messages.length === 0 && (
        <p className="muted small">Nothing is pinned yet. Admins pin a message from its actions.</p>
      )}
      {messages !== null && messages.length > 0 && (
        <MessageList
          messages={messages}
          names={names}
          roomNameOf={null}
          onOpen={onOpen}
          testId="pins"
        />
      )}
    </SidePanel>
  )
}
