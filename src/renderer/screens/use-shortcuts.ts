import { useEffect } from 'react'
import type { Actions } from '../state/actions'

/**
 * App-wide keys: Ctrl/Cmd+K room switcher, Ctrl/Cmd+F search the room (with Shift: every room),
 * Alt+↑/↓ previous/next room, Esc closes a panel.
 */
export function useShortcuts(actions: Actions, dialogOpen: boolean): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'f') {
        event.preventDefault()
        if (!dialogOpen) actions.openSearch(event.shiftKey)
        return
      }
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault()
        if (!dialogOpen) actions.openSwitcher()
        return
      }
      // a dialog handles its own Esc; an IME uses Esc to cancel a composition
      if (event.key === 'Escape' && !dialogOpen && !event.isComposing) {
        if (actions.closePanel()) event.preventDefault()
        return
      }
      if (event.altKey && !dialogOpen && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
        event.preventDefault()
        actions.selectAdjacentRoom(event.key === 'ArrowUp' ? -1 : 1)
      }
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [actions, dialogOpen])
}
