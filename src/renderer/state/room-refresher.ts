import type { RoomId, RoostApi } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import type { Store } from './store'
import type { AppState } from './types'
import { withoutRoom, withRoom } from './room-actions'

/**
 * Re-reads rooms after events (unread counts, last message, roles, names). Requests for a room
 * already being read are coalesced into one more read, so a burst of messages costs two calls.
 */
export class RoomRefresher {
  private _api: RoostApi
  private _store: Store<AppState>
  private _running: Set<RoomId>
  private _again: Set<RoomId>
  private _onError: (err: unknown) => void

  constructor(api: RoostApi, store: Store<AppState>, onError: (err: unknown) => void) {
    this._api = api
    this._store = store
    this._running = new Set()
    this._again = new Set()
    this._onError = onError
  }

  request(room: RoomId): void {
    if (this._running.has(room)) {
      this._again.add(room)
      return
    }
    void this._run(room)
  }

  private async _run(room: RoomId): Promise<void> {
    this._running.add(room)
    try {
      const fresh = await this._api.room(room)
      this._store.update((s) => withRoom(s, fresh))
    } catch (err) {
      const error = RoostError.from(err)
      if (error.code === 'ROOM_NOT_FOUND') this._store.update((s) => withoutRoom(s, room))
      else if (error.code !== 'RPC_DISCONNECTED') this._onError(error)
    } finally {
      this._running.delete(room)
    }
    if (this._again.delete(room)) this.request(room)
  }
}
