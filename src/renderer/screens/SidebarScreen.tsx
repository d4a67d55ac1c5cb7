import type { Profile } from '../../shared/api/contract.js'
import { Sidebar } from '../components/Sidebar'
import { useActions, useAppState } from '../state/hooks'
import { useSortedRooms } from './use-sorted-rooms'

export function SidebarScreen({ profile }: { profile: Profile }) {
  const rooms = useSortedRooms()
  const activeRoom = useAppState((s) => s.activeRoom)
  const actions = useActions()
  return (
    <Sidebar
      rooms={rooms}
      activeRoom={activeRoom}
      profile={profile}
      onSelect={actions.selectRoom}
      onCreate={actions.openCreateRoom}
      onJoin={() => actions.openJoin()}
      onSwitcher={actions.openSwitcher}
      onSettings={actions.openSettings}
    />
  )
}
