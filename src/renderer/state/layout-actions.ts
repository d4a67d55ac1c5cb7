import { isOnePane, saveSidebarCollapsed } from '../util/layout'
import type { AppContext } from './context'
import { cancelComposing } from './conversation-actions'

/**
 * The header's rooms button: in one-pane windows it goes back to the room list, in wider ones it
 * folds the list away or brings it back.
 */
export function toggleRoomList(ctx: AppContext): void {
  if (isOnePane()) {
    ctx.store.update((s) => ({ ...s, roomListShown: true, membersOpen: false }))
    return
  }
  ctx.store.update((s) => {
    saveSidebarCollapsed(!s.sidebarCollapsed)
    return { ...s, sidebarCollapsed: !s.sidebarCollapsed }
  })
}

/**
 * Esc: closes search or pins, else ends a reply or an edit, else closes the members panel, else
 * leaves the room list of a one-pane window for the room.
 */
export function closePanel(ctx: AppContext): boolean {
  const s = ctx.store.getState()
  if (s.search !== null || s.pins !== null) {
    ctx.store.update((state) => ({ ...state, search: null, pins: null }))
    return true
  }
  const composing = s.activeRoom === null ? null : (s.composing[s.activeRoom] ?? null)
  if (composing !== null && s.activeRoom !== null) {
    cancelComposing(ctx, s.activeRoom)
    return true
  }
  if (s.membersOpen) {
    ctx.store.update((state) => ({ ...state, membersOpen: false }))
    return true
  }
  if (s.roomListShown && s.activeRoom !== null && isOnePane()) {
    ctx.store.update((state) => ({ ...state, roomListShown: false }))
    return true
  }
  return false
}
