import type { Profile } from '../../shared/api/contract.js'
import { useActions, useAppState } from '../state/hooks'
import { DialogHost } from './DialogHost'
import { RoomScreen } from './RoomScreen'
import { SidebarScreen } from './SidebarScreen'
import { useShortcuts } from './use-shortcuts'

/** Signal-style layout: rooms on the left, the open room on the right. */
export function MainScreen({ profile }: { profile: Profile }) {
  const actions = useActions()
  const dialogOpen = useAppState((s) => s.dialog !== null)
  const membersOpen = useAppState((s) => s.membersOpen)
  useShortcuts(actions, dialogOpen)
  return (
    <div className={'app' + (membersOpen ? ' with-members' : '')}>
      <SidebarScreen profile={profile} />
      <RoomScreen profile={profile} />
      <DialogHost profile={profile} />
    </div>
  )
}
