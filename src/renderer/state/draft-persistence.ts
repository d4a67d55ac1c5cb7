import type { RoomId } from '../../shared/api/contract.js'
import type { Store } from './store'
import type { AppState } from './types'

const STORAGE_KEY = 'roost.drafts'
const SAVE_DELAY_MS = 500

/** Unsent drafts from the last session (this device). */
export function loadDrafts(): Record<RoomId, string> {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}')
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {}
    const drafts: Record<RoomId, string> = {}
    for (const [room, text] of Object.entries(value))
      if (typeof text === 'string') drafts[room] = text
    return drafts
  } catch {
    return {}
  }
}

/** Keeps drafts in localStorage (a moment after typing stops) so they survive a restart. */
export function persistDrafts(store: Store<AppState>): () => void {
  let drafts = store.getState().drafts
  let timer: ReturnType<typeof setTimeout> | null = null
  const save = (): void => {
    timer = null
    const nonEmpty = Object.fromEntries(Object.entries(drafts).filter(([, text]) => text !== ''))
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(nonEmpty))
    } catch {
      // storage full: drafts stay in memory for this session
    }
  }
  const unsubscribe = store.subscribe(() => {
    const next = store.getState().drafts
    if (next === drafts) return
    drafts = next
    if (timer === null) timer = setTimeout(save, SAVE_DELAY_MS)
  })
  return () => {
    unsubscribe()
    if (timer !== null) {
      clearTimeout(timer)
      save()
    }
  }
}
