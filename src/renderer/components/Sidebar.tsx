import type { Profile, Room, RoomId } from '../../shared/api/contract.js'
import { shownName } from '../../shared/text/display-names.js'
import { Avatar } from './Avatar'
import { Icon } from './Icon'
import { RoomItem } from './RoomItem'

export interface SidebarProps {
  rooms: Room[]
  activeRoom: RoomId | null
  profile: Profile
  /** Per room, what to call the author of its last message. */
  lastAuthors: Record<RoomId, string>
  onSelect: (id: RoomId) => void
  onCreate: () => void
  onJoin: () => void
  onSwitcher: () => void
  onSettings: () => void
}

export function Sidebar(props: SidebarProps) {
  const { rooms, activeRoom, profile } = props
  return (
    <nav className="sidebar" aria-label="Rooms" data-testid="sidebar">
      <div className="sidebar-header">
        <span className="sidebar-title">Roost</span>
        <div className="sidebar-actions">
          <button
            type="button"
            className="icon-button"
            data-testid="join-open"
            title="Join a room with an invite"
            aria-label="Join a room with an invite"
            onClick={props.onJoin}
          >
            <Icon name="join" />
          </button>
          <button
            type="button"
            className="icon-button"
            data-testid="create-room-open"
            title="Create a room"
            aria-label="Create a room"
            onClick={props.onCreate}
          >
            <Icon name="plus" />
          </button>
        </div>
      </div>
      <button type="button" className="search-button" onClick={props.onSwitcher}>
        <Icon name="search" size={16} />
        <span>Find a room</span>
        <kbd>Ctrl K</kbd>
      </button>
      {rooms.length === 0 ? (
        <p className="sidebar-empty">No rooms yet. Create one, or join with an invite.</p>
      ) : (
        <ul className="room-list">
          {rooms.map((room) => (
            <RoomItem
              key={room.id}
              room={room}
              myId={profile.id}
              lastAuthor={props.lastAuthors[room.id] ?? ''}
              active={room.id === activeRoom}
              onSelect={props.onSelect}
            />
          ))}
        </ul>
      )}
      <div className="sidebar-footer">
        <Avatar name={shownName(profile.name)} seed={profile.id} size="small" />
        <span className="sidebar-me" title={profile.id}>
          <bdi>{shownName(profile.name)}</bdi>
        </span>
        <button
          type="button"
          className="icon-button"
          data-testid="settings-open"
          title="Settings"
          aria-label="Settings"
          onClick={props.onSettings}
        >
          <Icon name="gear" />
        </button>
      </div>
    </nav>
  )
}
