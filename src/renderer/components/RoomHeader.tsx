import type { NotifyLevel, Room } from '../../shared/api/contract.js'
import { MAX_TOPIC_CHARS } from '../../shared/api/errors.js'
import { cleanText } from '../../shared/text/clean-name.js'
import { shownName } from '../../shared/text/display-names.js'
import { Avatar } from './Avatar'
import { ConnectionState } from './ConnectionState'
import { Icon } from './Icon'
import { RoomMenu } from './RoomMenu'

export interface RoomHeaderProps {
  room: Room
  membersOpen: boolean
  /** The room list is beside the room now (a wide window, not folded away). */
  roomListShown: boolean
  onToggleRoomList: () => void
  onToggleMembers: () => void
  onInvite: () => void
  onEditInfo: () => void
  onSetNotify: (level: NotifyLevel) => void
  onSetAutoDownload: (on: boolean) => void
  onLeave: () => void
  pinsOpen: boolean
  onTogglePins: () => void
  /** Ctrl+F: search this room. */
  onSearch: () => void
}

export function RoomHeader({
  room,
  membersOpen,
  roomListShown,
  onToggleRoomList,
  onToggleMembers,
  onInvite,
  onEditInfo,
  onSetNotify,
  onSetAutoDownload,
  onLeave,
  pinsOpen,
  onTogglePins,
  onSearch
}: RoomHeaderProps) {
  const members = room.memberCount === 1 ? '1 member' : `${room.memberCount} members`
  const name = shownName(room.name)
  const topic = cleanText(room.topic, MAX_TOPIC_CHARS)
  return (
    <header className="room-header" data-testid="room-header">
      <button
        type="button"
        className="icon-button"
        data-testid="room-list-toggle"
        aria-label={roomListShown ? 'Hide the room list' : 'Show the room list'}
        aria-expanded={roomListShown}
        title={roomListShown ? 'Hide the room list' : 'Show the room list'}
        onClick={onToggleRoomList}
      >
        <Icon name="menu" />
      </button>
      <Avatar name={name} seed={room.id} kind="room" />
      <div className="room-header-text">
        <h1 className="room-header-name">
          <bdi>{name}</bdi>
        </h1>
        <div className="room-header-meta">
          {topic && (
            <span className="room-header-topic" title={topic}>
              <bdi>{topic}</bdi>
            </span>
          )}
          <ConnectionState
            connection={room.connection}
            syncing={room.syncing}
            alone={room.memberCount === 1}
          />
        </div>
      </div>
      <div className="room-header-actions">
        <button
          type="button"
          className="icon-button header-extra"
          data-testid="search-open"
          onClick={onSearch}
          title="Search this room (Ctrl+F; all rooms: Ctrl+Shift+F)"
          aria-label="Search this room"
        >
          <Icon name="search" />
        </button>
        <button
          type="button"
          className={'icon-button header-extra' + (pinsOpen ? ' pressed' : '')}
          data-testid="pins-open"
          aria-pressed={pinsOpen}
          onClick={onTogglePins}
          title="Pinned messages"
          aria-label="Pinned messages"
        >
          <Icon name="pin" />
        </button>
        <button
          type="button"
          className="button ghost"
          data-testid="invite-open"
          onClick={onInvite}
          title="Invite people"
          aria-label="Invite people"
        >
          <Icon name="invite" />
          <span className="button-label">Invite</span>
        </button>
        <button
          type="button"
          className={'button ghost' + (membersOpen ? ' pressed' : '')}
          data-testid="members-open"
          aria-pressed={membersOpen}
          onClick={onToggleMembers}
          title="Members"
          aria-label={members}
        >
          <Icon name="people" />
          <span className="button-label">{members}</span>
        </button>
        <RoomMenu
          isAdmin={room.role === 'admin'}
          notify={room.notify}
          onEditInfo={onEditInfo}
          onSetNotify={onSetNotify}
          autoDownload={room.autoDownload === true}
          onSetAutoDownload={onSetAutoDownload}
          onLeave={onLeave}
          onSearch={onSearch}
          onPins={onTogglePins}
        />
      </div>
    </header>
  )
}
