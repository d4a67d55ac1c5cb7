import type { Room } from '../../shared/api/contract.js'
import { formatShort } from '../util/format'
import { authorLabel } from '../util/names'
import { Avatar } from './Avatar'

export interface RoomItemProps {
  room: Room
  active: boolean
  myId: string
  onSelect: (id: string) => void
}

function preview(room: Room, myId: string): string {
  const last = room.lastMessage
  if (last === null) return room.topic || 'No messages yet'
  const who = last.author === myId ? 'You' : authorLabel(last.authorName, last.author)
  return `${who}: ${last.text.slice(0, 120)}`
}

export function RoomItem({ room, active, myId, onSelect }: RoomItemProps) {
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
        <Avatar name={room.name} seed={room.id} />
        <span className="room-item-body">
          <span className="room-item-top">
            <span className="room-item-name">{room.name}</span>
            {room.lastMessage !== null && (
              <span className="room-item-time">{formatShort(room.lastMessage.timestamp)}</span>
            )}
          </span>
          <span className="room-item-bottom">
            <span className="room-item-preview">{preview(room, myId)}</span>
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
