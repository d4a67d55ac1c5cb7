import { useMemo } from 'react'
import type { Profile, RoomId } from '../../shared/api/contract.js'
import { labelFor, roomNames } from '../../shared/text/display-names.js'
import { Sidebar } from '../components/Sidebar'
import { useActions, useAppState } from '../state/hooks'
import { useSortedRooms } from './use-sorted-rooms'

export function SidebarScreen({ profile }: { profile: Profile }) {
  const rooms = useSortedRooms()
  const activeRoom = useAppState((s) => s.activeRoom)
  const members = useAppState((s) => s.members)
  const lastAuthors = useMemo(() => {
    const labels: Record<RoomId, string> = {}
    for (const room of rooms) {
      const last = room.lastMessage
      if (last === null) continue
      const names = roomNames(members[room.id] ?? [], [last])
      labels[room.id] = labelFor(names, last.author, last.authorName)
    }
    return labels
  }, [rooms, members])
  const actions = useActions()
  return (
    <Sidebar
      rooms={rooms}
      activeRoom={activeRoom}
      profile={profile}
      lastAuthors={lastAuthors}
      onSelect={actions.selectRoom}
      onCreate={actions.openCreateRoom}
      onJoin={() => actions.openJoin()}
      onSwitcher={actions.openSwitcher}
      onSettings={actions.openSettings}
    />
  )
}
