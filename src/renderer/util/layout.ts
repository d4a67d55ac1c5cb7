const COLLAPSED_KEY = 'roost.sidebarCollapsed'

/** Below this width the window shows one pane: the room list or the open room. Kept in step with layout.css. */
export const ONE_PANE_QUERY = '(max-width: 699px)'

export function isOnePane(): boolean {
  return matchMedia(ONE_PANE_QUERY).matches
}

export function loadSidebarCollapsed(): boolean {
  return localStorage.getItem(COLLAPSED_KEY) === '1'
}

export function saveSidebarCollapsed(collapsed: boolean): void {
  localStorage.setItem(COLLAPSED_KEY, collapsed ? '1' : '0')
}
