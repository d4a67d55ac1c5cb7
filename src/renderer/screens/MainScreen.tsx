import type { Profile } from '../../shared/api/contract.js'
import { Panel } from '../components/ErrorBoundary'
import { useActions, useAppState } from '../state/hooks'
import { DialogHost } from './DialogHost'
import { RoomScreen } from './RoomScreen'
import { SidebarScreen } from './SidebarScreen'
import { useShortcuts } from './use-shortcuts'
import { ViewerScreen } from './ViewerScreen'

/** Signal-style layout: rooms on the left, the open room on the right; one of them when narrow. */
export function MainScreen({ profile }: { profile: Profile }) {
  const actions = useActions()
  const dialogOpen = useAppState((s) => s.dialog !== null || s.viewer !== null)
  const panelOpen = useAppState(
    (s) => s.membersOpen || s.search !== null || (s.pins !== null && s.pins.room === s.activeRoom)
  )
  const hasRoom = useAppState((s) => s.activeRoom !== null)
  const collapsed = useAppState((s) => s.sidebarCollapsed)
  const listShown = useAppState((s) => s.roomListShown)
  useShortcuts(actions, dialogOpen)
  const classes = ['app']
  if (panelOpen && hasRoom) classes.push('with-members')
  if (hasRoom && collapsed) classes.push('sidebar-collapsed')
  // what a one-pane (narrow) window shows
  classes.push(!hasRoom || listShown ? 'pane-rooms' : 'pane-room')
  return (
    <div className={classes.join(' ')}>
      <Panel name="sidebar" className="sidebar" what="The room list">
        <SidebarScreen profile={profile} />
      </Panel>
      <RoomScreen profile={profile} />
      <DialogHost profile={profile} />
      <ViewerScreen />
    </div>
  )
}
