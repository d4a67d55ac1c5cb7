import type { RoomId } from '../../shared/api/contract.js'
import type { Store } from './store'
import type { AppState } from './types'

/** A room counts as syncing while messages arrive in a burst (catching up with a peer). */
const BURST_MESSAGES = 5
const BURST_WINDOW_MS = 1000
const QUIET_MS = 1500

/**
 * Derives the header's "syncing" from message arrivals: the API reports peers but not how far
 * behind we are, so a burst of incoming messages is the visible sign of catching up.
 */
export class SyncTracker {
  private _store: Store<AppState>
  private _arrivals: Map<RoomId, number[]>
  private _timers: Map<RoomId, ReturnType<typeof setTimeout>>

  constructor(store: Store<AppState>) {
    this._store = store
    this._arrivals = new Map()
    this._timers = new Map()
  }

  note(room: RoomId, count: number): void {
    const now = Date.now()
    const recent = (this._arrivals.get(room) ?? []).filter((t) => now - t < BURST_WINDOW_MS)
    for (let i = 0; i < Math.min(count, BURST_MESSAGES); i++) recent.push(now)
    this._arrivals.set(room, recent)
    const syncing = this._store.getState().syncing[room] === true
    if (!syncing && recent.length < BURST_MESSAGES) return
    if (!syncing) this._set(room, true)
    clearTimeout(this._timers.get(room))
    this._timers.set(
      room,
      setTimeout(() => {
        this._timers.delete(room)
        this._set(room, false)
      }, QUIET_MS)
    )
  }

  close(): void {
    for (const timer of this._timers.values()) clearTimeout(timer)
    this._timers.clear()
  }

  private _set(room: RoomId, value: boolean): void {
    this._store.update((s) => ({ ...s, syncing: { ...s.syncing, [room]: value } }))
  }
}
