import type { Room } from '../../shared/api/contract.js'
import { Avatar } from './Avatar'
import { ConnectionState } from './ConnectionState'
import { Icon } from './Icon'

export interface RoomHeaderProps {
  room: Room
  syncing: boolean
  membersOpen: boolean
  onToggleMembers: () => void
  onInvite: () => void
}

export function RoomHeader({
  room,
  syncing,
  membersOpen,
  onToggleMembers,
  onInvite
}: RoomHeaderProps) {
  const members = room.memberCount === 1 ? '1 member' : `${room.memberCount} members`
  return (
    <header className="room-header" data-testid="room-header">
      <Avatar name={room.name} seed={room.id} />
      <div className="room-header-text">
        <h1 className="room-header-name">{room.name}</h1>
        <div className="room-header-meta">
          {room.topic && (
            <span className="room-header-topic" title={room.topic}>
              {room.topic}
            </span>
          )}
          <ConnectionState connection={room.connection} syncing={syncing} />
        </div>
      </div>
      <div className="room-header-actions">
        <button
          type="button"
          className="button ghost"
          data-testid="invite-open"
          onClick={onInvite}
          title="Invite people"
        >
          <Icon name="invite" />
          <span>Invite</span>
        </button>
        <button
          type="button"
          className={'button ghost' + (membersOpen ? ' pressed' : '')}
          data-testid="members-open"
          aria-pressed={membersOpen}
          onClick={onToggleMembers}
          title="Members"
        >
          <Icon name="people" />
          <span>{members}</span>
        </button>
      </div>
    </header>
  )
}
