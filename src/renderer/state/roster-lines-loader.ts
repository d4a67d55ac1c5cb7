import type { RoostApi } from '../../shared/api/contract.js'
import { PerRoomTask } from './per-room-task'
import type { Store } from './store'
import type { AppState } from './types'

/**
 * Reads the roster lines ("Bob joined") for the loaded part of a room's timeline: after a page
 * loads, on every roster change and after a reorder (coalesced per room, like the refresher).
 */
export function rosterLinesLoader(
  api: RoostApi,
  store: Store<AppState>,
  onError: (err: unknown) => void
): PerRoomTask {
  return new PerRoomTask(
    async (room) => {
      const timeline = store.getState().timelines[room]
      if (timeline === undefined) return
      // lines above the oldest loaded message wait for the page that holds it
      const from = timeline.hasMore ? (timeline.messages[0]?.seq ?? 0) : 0
      const lines = await api.rosterChanges(room, { from })
      store.update((s) => ({ ...s, rosterLines: { ...s.rosterLines, [room]: lines } }))
    },
    { onError }
  )
}
