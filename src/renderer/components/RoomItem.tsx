import type { Room } from '../../shared/api/contract.js'
import { cleanText } from '../../shared/text/clean-name.js'
import { shownName } from '../../shared/text/display-names.js'
import { previewText } from '../util/file-kind'
import { formatShort, syncingText } from '../util/format'
import { Avatar } from './Avatar'

export interface RoomItemProps {
  room: Room
  active: boolean
  myId: string
  /** What to call the last message's author (a key suffix if someone else has the name). */
  lastAuthor: string
  onSelect: (id: string) => void
}

function preview(room: Room, myId: string, lastAuthor: string): string {
  const last = room.lastMessage
  if (last === null) return cleanText(room.topic, 120) || 'No messages yet'
  const who = last.author === myId ? 'You' : lastAuthor
  // one line, without the controls a message may hold (a bidi override would flip the row)
  return `${who}: ${cleanText(previewText(last).slice(0, 1000), 120)}`
}

export function RoomItem({ room, active, myId, lastAuthor, onSelect }: RoomItemProps) {
  const unread = room.unread
  return (
    <li>
      <button
        type="button"
        className={'room-item' + (active ? ' active' : '') + (unread > 0 ? ' has-unread' : '')}
        data-testid="room-item"
        data-room-id={room.id}
        aria-current={active ? 'true' : undefined}
        onClick={() => onSelect(room.id)}
      >
        <Avatar name={room.name} seed={room.id} kind="room" />
        <span className="room-item-body">
          <span className="room-item-top">
            <span className="room-item-name">{shownName(room.name)}</span>
            {room.lastMessage !== null && (
              <span className="room-item-time">{formatShort(room.lastMessage.timestamp)}</span>
            )}
          </span>
          <span className="room-item-bottom">
            {room.syncing !== null ? (
              <span className="room-item-preview syncing" data-testid="room-syncing">
                {syncingText(room.syncing)}
              </span>
            ) : (
              <span className="room-item-preview">{preview(room, myId, lastAuthor)}</span>
            )}
            {unread > 0 && (
              <span
                className={'unread-count' + (room.notify === 'none' ? ' muted' : '')}
                data-testid="unread-count"
                aria-label={`${unread} unread`}
              >
                {unread}
              </span>
            )}
          </span>
        </span>
      </button>
    </li>
  )
}
