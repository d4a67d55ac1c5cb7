import type { AppContext } from './context'
import { PerRoomTask } from './per-room-task'
import { withReloaded } from './timeline-ops'

/** The most a reorder reads again: what is loaded, up to the API's largest page. */
const MAX_RELOAD = 500

/**
 * Reads a loaded timeline again when the room says its order was rewritten (coalesced: a burst
 * of reorders while one read runs costs one more read).
 */
export function timelineReloader(ctx: AppContext, onError: (err: unknown) => void): PerRoomTask {
  return new PerRoomTask(
    async (room) => {
      const timeline = ctx.store.getState().timelines[room]
      if (timeline === undefined || timeline.messages.length === 0) return
      const loadedBefore = new Set(timeline.messages.map((m) => m.id))
      const limit = Math.min(MAX_RELOAD, Math.max(1, timeline.messages.length))
      const page = await ctx.api.messages(room, { limit })
      const isSent = (id: string): boolean => ctx.sentIds.has(id)
      ctx.store.update((s) => {
        const current = s.timelines[room]
        if (current === undefined) return s
        const next = withReloaded(current, page, loadedBefore, isSent)
        return { ...s, timelines: { ...s.timelines, [room]: next } }
      })
    },
    { onError }
  )
}
