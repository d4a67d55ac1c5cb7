import type { RoomId, RoostApi } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { PerRoomTask } from './per-room-task'
import type { Store } from './store'
import type { AppState } from './types'

/**
 * Reads the roster lines ("Bob joined") for the loaded part of a room's timeline: after a page
 * loads, on every roster change and after a reorder (coalesced per room, like the refresher).
 */
export class RosterLinesLoader {
  private _api: RoostApi
  private _store: Store<AppState>
  private _onError: (err: unknown) => void
  private _task: PerRoomTask

  constructor(api: RoostApi, store: Store<AppState>, onError: (err: unknown) => void) {
    this._api = api
    this._store = store
    this._onError = onError
    this._task = new PerRoomTask((room) => this._load(room))
  }

  request(room: RoomId): void {
    this._task.request(room)
  }

  private async _load(room: RoomId): Promise<void> {
    const timeline = this._store.getState().timelines[room]
    if (timeline === undefined) return
    // lines above the oldest loaded message wait for the page that holds it
    const from = timeline.hasMore ? (timeline.messages[0]?.seq ?? 0) : 0
    try {
      const lines = await this._api.rosterChanges(room, { from })
      this._store.update((s) => ({ ...s, rosterLines: { ...s.rosterLines, [room]: lines } }))
    } catch (err) {
      const error = RoostError.from(err)
      if (error.code !== 'ROOM_NOT_FOUND' && error.code !== 'RPC_DISCONNECTED') this._onError(error)
    }
  }
}
