import type { RoomId } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import type { AppContext } from './context'
import { PerRoomTask } from './per-room-task'
import { withReloaded } from './timeline-ops'

/** The most a reorder reads again: what is loaded, up to the API's largest page. */
const MAX_RELOAD = 500

/**
 * Reads a loaded timeline again when the room says its order was rewritten (coalesced: a burst
 * of reorders while one read runs costs one more read).
 */
export class TimelineReloader {
  private _ctx: AppContext
  private _onError: (err: unknown) => void
  private _task: PerRoomTask

  constructor(ctx: AppContext, onError: (err: unknown) => void) {
    this._ctx = ctx
    this._onError = onError
    this._task = new PerRoomTask((room) => this._reload(room))
  }

  request(room: RoomId): void {
    this._task.request(room)
  }

  private async _reload(room: RoomId): Promise<void> {
    const timeline = this._ctx.store.getState().timelines[room]
    if (timeline === undefined || timeline.messages.length === 0) return
    try {
      const loadedBefore = new Set(timeline.messages.map((m) => m.id))
      const limit = Math.min(MAX_RELOAD, Math.max(1, timeline.messages.length))
      const page = await this._ctx.api.messages(room, { limit })
      const isSent = (id: string): boolean => this._ctx.sentIds.has(id)
      this._ctx.store.update((s) => {
        const current = s.timelines[room]
        if (current === undefined) return s
        const next = withReloaded(current, page, loadedBefore, isSent)
        return { ...s, timelines: { ...s.timelines, [room]: next } }
      })
    } catch (err) {
      const error = RoostError.from(err)
      // a room left meanwhile has nothing to show; a lost connection reloads everything anyway
      if (error.code !== 'ROOM_NOT_FOUND' && error.code !== 'RPC_DISCONNECTED') this._onError(error)
    }
  }
}
