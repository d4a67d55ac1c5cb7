import type { Profile } from '../../shared/api/contract.js'
import { Panel } from '../components/ErrorBoundary'
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
      <Panel name="sidebar" className="sidebar" what="The room list">
        <SidebarScreen profile={profile} />
      </Panel>
      <RoomScreen profile={profile} />
      <DialogHost profile={profile} />
    </div>
  )
}
