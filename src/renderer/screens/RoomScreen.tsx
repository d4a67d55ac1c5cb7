import { useEffect, useMemo, useState, type DragEvent } from 'react'
import type { Profile } from '../../shared/api/contract.js'
import { roomNames, shownName } from '../../shared/text/display-names.js'
import { EmptyState } from '../components/EmptyState'
import { Panel } from '../components/ErrorBoundary'
import { MembersPanel } from '../components/MembersPanel'
import { PinsPanel } from '../components/PinsPanel'
import { SearchPanel } from '../components/SearchPanel'
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
  const pins = useAppState((s) => s.pins)
  const search = useAppState((s) => s.search)
  const rooms = useAppState((s) => s.rooms)
  const names = useMemo(() => roomNames(members ?? []), [members])
  const actions = useActions()
  const [dragging, setDragging] = useState(false)
  useEffect(keepDroppedFilesInPage, [])
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
      <main
        className={'room' + (dragging ? ' dragging' : '')}
        aria-label={room.name}
        {...dropHandlers(room.writable, setDragging, (files) =>
          actions.attachFiles(room.id, files)
        )}
      >
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
            onSetAutoDownload={(on) => void actions.setAutoDownload(room.id, on)}
            onLeave={() => actions.openLeaveRoom(room.id)}
            pinsOpen={pins?.room === room.id}
            onTogglePins={() => actions.togglePins(room.id)}
            onSearch={() => actions.openSearch(false)}
          />
        </Panel>
        <Panel name="timeline" className="timeline" what="The messages" resetKey={room.id}>
          <TimelineScreen key={room.id} room={room} profile={profile} />
        </Panel>
        <Panel name="composer" className="composer" what="The message box" resetKey={room.id}>
          <ComposerScreen room={room} />
        </Panel>
      </main>
      {search !== null && (
        <Panel name="search panel" className="side-panel" what="Search" resetKey={search.room}>
          <SearchPanel
            search={search}
            roomName={search.room === null ? null : shownName(rooms[search.room]?.name ?? '')}
            names={names}
            roomNameOf={(id) => shownName(rooms[id]?.name ?? '')}
            onQuery={(query) => void actions.search(query)}
            onOpen={(m) => void actions.jumpTo(m.room, m.id)}
            onClose={actions.closeSearch}
          />
        </Panel>
      )}
      {pins !== null && pins.room === room.id && (
        <Panel name="pins panel" className="side-panel" what="Pinned messages" resetKey={pins}>
          <PinsPanel
            messages={pins.messages}
            error={pins.error}
            names={names}
            onOpen={(m) => void actions.jumpTo(m.room, m.id)}
            onClose={() => actions.togglePins(room.id)}
          />
        </Panel>
      )}
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

/** Files dragged from the desktop onto the room join its composer's attachments. */
function dropHandlers(
  writable: boolean,
  setDragging: (dragging: boolean) => void,
  onFiles: (files: File[]) => void
) {
  const carriesFiles = (event: DragEvent): boolean =>
    writable && [...event.dataTransfer.types].includes('Files')
  return {
    onDragOver: (event: DragEvent) => {
      if (!carriesFiles(event)) return
      event.preventDefault()
      event.dataTransfer.dropEffect = 'copy'
      setDragging(true)
    },
    onDragLeave: (event: DragEvent) => {
      // only when leaving the room itself, not moving between its children
      if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDragging(false)
    },
    onDrop: (event: DragEvent) => {
      setDragging(false)
      if (!carriesFiles(event)) return
      event.preventDefault()
      const files = [...event.dataTransfer.files]
      if (files.length > 0) onFiles(files)
    }
  }
}

/** A file dropped beside the room would make the browser open it in place of the app. */
function keepDroppedFilesInPage(): () => void {
  const refuse = (event: globalThis.DragEvent): void => {
    if (event.dataTransfer?.types.includes('Files')) event.preventDefault()
  }
  window.addEventListener('dragover', refuse)
  window.addEventListener('drop', refuse)
  return () => {
    window.removeEventListener('dragover', refuse)
    window.removeEventListener('drop', refuse)
  }
}
