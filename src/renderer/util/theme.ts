import type { Theme } from '../state/types'

const STORAGE_KEY = 'roost.theme'
const SYSTEM_DARK = '(prefers-color-scheme: dark)'

export function loadTheme(): Theme {
  const stored = localStorage.getItem(STORAGE_KEY)
  return stored === 'light' || stored === 'dark' ? stored : 'system'
}

let current: Theme = 'system'
let watching = false

/** The scheme the CSS draws: the chosen theme, or the system's while the theme is 'system'. */
function applyScheme(): void {
  const dark = current === 'dark' || (current === 'system' && matchMedia(SYSTEM_DARK).matches)
  document.documentElement.dataset.scheme = dark ? 'dark' : 'light'
}

/**
 * Kept in localStorage (a device setting) and applied as `<html data-theme>`, and as the resolved
 * `<html data-scheme>` the CSS reads, so the dark palette is written once.
 */
export function applyTheme(theme: Theme): void {
  localStorage.setItem(STORAGE_KEY, theme)
  current = theme
  document.documentElement.dataset.theme = theme
  applyScheme()
  if (!watching) {
    watching = true
    matchMedia(SYSTEM_DARK).addEventListener('change', applyScheme)
  }
}
