import type { Profile } from '../../shared/api/contract.js'
import { EmptyState } from '../components/EmptyState'
import { Panel } from '../components/ErrorBoundary'
import { MembersPanel } from '../components/MembersPanel'
import { RoomHeader } from '../components/RoomHeader'
import { useActions, useAppState } from '../state/hooks'
import { ComposerScreen } from './ComposerScreen'
import { TimelineScreen } from './TimelineScreen'
import { useOnePane } from './use-one-pane'

/** The open room: header, timeline, composer, and the members panel when it is open. */
export function RoomScreen({ profile }: { profile: Profile }) {
  const room = useAppState((s) => (s.activeRoom === null ? null : (s.rooms[s.activeRoom] ?? null)))
  const roomsLoaded = useAppState((s) => s.roomsLoaded)
  const membersOpen = useAppState((s) => s.membersOpen)
  const collapsed = useAppState((s) => s.sidebarCollapsed)
  const onePane = useOnePane()
  const members = useAppState((s) => (room === null ? null : (s.members[room.id] ?? null)))
  const actions = useActions()
  if (room === null) {
    return (
      <main className="room room-empty">
        {roomsLoaded ? (
          <EmptyState onCreate={actions.openCreateRoom} onJoin={() => actions.openJoin()} />
        ) : (
          <p className="muted">Loading rooms…</p>
        )}
      </main>
    )
  }
  return (
    <>
      <main className="room" aria-label={room.name}>
        <Panel name="room header" className="room-header" what="The room's header" resetKey={room}>
          <RoomHeader
            room={room}
            membersOpen={membersOpen}
            roomListShown={!onePane && !collapsed}
            onToggleRoomList={actions.toggleRoomList}
            onToggleMembers={actions.toggleMembers}
            onInvite={() => actions.openInvite(room.id)}
            onEditInfo={() => actions.openRoomInfo(room.id)}
            onSetNotify={(level) => void actions.setNotify(room.id, level)}
            onLeave={() => actions.openLeaveRoom(room.id)}
          />
        </Panel>
        <Panel name="timeline" className="timeline" what="The messages" resetKey={room.id}>
          <TimelineScreen key={room.id} room={room} profile={profile} />
        </Panel>
        <Panel name="composer" className="composer" what="The message box" resetKey={room.id}>
          <ComposerScreen room={room} />
        </Panel>
      </main>
      {membersOpen && (
        <Panel
          name="members panel"
          className="members-panel"
          what="The member list"
          resetKey={members}
        >
          <MembersPanel
            members={members}
            isAdmin={room.role === 'admin'}
            onRemove={(id) => actions.removeMember(room.id, id)}
            onSetRole={(id, role) => actions.setRole(room.id, id, role)}
            onClose={actions.toggleMembers}
          />
        </Panel>
      )}
    </>
  )
}
