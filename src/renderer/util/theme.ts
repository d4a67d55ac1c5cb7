import type { Theme } from '../state/types'

const STORAGE_KEY = 'roost.theme'

export function loadTheme(): Theme {
  const stored = localStorage.getItem(STORAGE_KEY)
  return stored === 'light' || stored === 'dark' ? stored : 'system'
}

/** Kept in localStorage (a device setting) and applied as `<html data-theme>` for the CSS. */
export function applyTheme(theme: Theme): void {
  localStorage.setItem(STORAGE_KEY, theme)
  document.documentElement.dataset.theme = theme
}
