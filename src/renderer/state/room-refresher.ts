import type { RoostApi } from '../../shared/api/contract.js'
import type { Store } from './store'
import type { AppState } from './types'
import { PerRoomTask } from './per-room-task'
import { withoutRoom, withRoom } from './room-actions'

/**
 * Re-reads rooms after events (unread counts, last message, roles, names). Requests for a room
 * already being read are coalesced into one more read, so a burst of messages costs two calls.
 */
export function roomRefresher(
  api: RoostApi,
  store: Store<AppState>,
  onError: (err: unknown) => void
): PerRoomTask {
  return new PerRoomTask(
    async (room) => {
      const fresh = await api.room(room)
      store.update((s) => withRoom(s, fresh))
    },
    { onError, onRoomGone: (room) => store.update((s) => withoutRoom(s, room)) }
  )
}
