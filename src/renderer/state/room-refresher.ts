import type { RoomId, RoostApi } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import type { Store } from './store'
import type { AppState } from './types'
import { PerRoomTask } from './per-room-task'
import { withoutRoom, withRoom } from './room-actions'

/**
 * Re-reads rooms after events (unread counts, last message, roles, names). Requests for a room
 * already being read are coalesced into one more read, so a burst of messages costs two calls.
 */
export class RoomRefresher {
  private _api: RoostApi
  private _store: Store<AppState>
  private _onError: (err: unknown) => void
  private _task: PerRoomTask

  constructor(api: RoostApi, store: Store<AppState>, onError: (err: unknown) => void) {
    this._api = api
    this._store = store
    this._onError = onError
    this._task = new PerRoomTask((room) => this._refresh(room))
  }

  request(room: RoomId): void {
    this._task.request(room)
  }

  private async _refresh(room: RoomId): Promise<void> {
    try {
      const fresh = await this._api.room(room)
      this._store.update((s) => withRoom(s, fresh))
    } catch (err) {
      const error = RoostError.from(err)
      if (error.code === 'ROOM_NOT_FOUND') this._store.update((s) => withoutRoom(s, room))
      else if (error.code !== 'RPC_DISCONNECTED') this._onError(error)
    }
  }
}
