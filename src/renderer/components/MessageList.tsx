import type { Message } from '../../shared/api/contract.js'
import { labelFor } from '../../shared/text/display-names.js'
import { formatDateTime } from '../util/format'

export interface MessageListProps {
  messages: readonly Message[]
  names: ReadonlyMap<string, string>
  /** The room's name beside each (search across rooms); null: one room, not shown. */
  roomNameOf: ((room: string) => string) | null
  onOpen: (message: Message) => void
  testId: string
}

const PREVIEW_CHARS = 200

/** Messages as buttons that open them in their room (pins, search hits). */
export function MessageList({ messages, names, roomNameOf, onOpen, testId }: MessageListProps) {
  return (
    <ul className="message-list" data-testid={testId}>
      {messages.map((m) => (
        <li key={m.id}>
          <button
            type="button"
            className="message-list-item"
            data-testid={`${testId}-item`}
            data-id={m.id}
            onClick={() => onOpen(m)}
          >
            <span className="message-list-meta">
              <bdi>{labelFor(names, m.author, m.authorName)}</bdi>
              {roomNameOf !== null && (
                <>
                  {' in '}
                  <bdi>{roomNameOf(m.room)}</bdi>
                </>
              )}
              <span className="muted"> · {formatDateTime(m.timestamp)}</span>
            </span>
            <span className="message-list-text" dir="auto">
              {String(m.text).slice(0, PREVIEW_CHARS)}
            </span>
          </button>
        </li>
      ))}
    </ul>
  )
}
