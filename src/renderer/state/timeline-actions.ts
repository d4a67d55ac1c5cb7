import type { RoomId } from '../../shared/api/contract.js'
import { MAX_MESSAGE_BYTES, RoostError } from '../../shared/api/errors.js'
import { errorInfo } from '../util/error-text'
import { mentionedIn } from '../util/mentions'
import { utf8Length } from '../util/utf8'
import type { AppContext } from './context'
import { fetchPage } from './fetch-page'
import { hasAttachments, sendAttachments } from './file-send-actions'
import { emptyTimeline, withMessages, withOlderPage } from './timeline-ops'
import { showError } from './toast-actions'
import type { AppState, TimelineState } from './types'

function setTimeline(
  s: AppState,
  room: RoomId,
  change: (t: TimelineState) => TimelineState
): AppState {
  const current = s.timelines[room] ?? emptyTimeline()
  return { ...s, timelines: { ...s.timelines, [room]: change(current) } }
}

async function loadPage(ctx: AppContext, room: RoomId): Promise<void> {
  const timeline = ctx.store.getState().timelines[room]
  if (timeline !== undefined && (timeline.loading || !timeline.hasMore)) return
  const before = timeline?.messages[0]?.id
  ctx.store.update((s) => setTimeline(s, room, (t) => ({ ...t, loading: true, error: null })))
  try {
    const page = await fetchPage(ctx.api, room, before)
    ctx.store.update((s) => setTimeline(s, room, (t) => withOlderPage(t, page)))
    ctx.refreshRosterLines(room)
  } catch (err) {
    // the oldest loaded message left the view (a reorder rewrote it): the reorder's reload
    // replaces what is loaded, and the next scroll back pages from there
    const gone = before !== undefined && RoostError.from(err).code === 'MESSAGE_NOT_FOUND'
    ctx.store.update((s) =>
      setTimeline(s, room, (t) => ({ ...t, loading: false, error: gone ? null : errorInfo(err) }))
    )
  }
}

/** Loads a room's newest page the first time it is opened; later openings reuse what is loaded. */
export async function openTimeline(ctx: AppContext, room: RoomId): Promise<void> {
  if (ctx.store.getState().timelines[room] !== undefined) return
  await loadPage(ctx, room)
}

/** The page before the oldest loaded message (scrolling back). */
export async function loadOlder(ctx: AppContext, room: RoomId): Promise<void> {
  const timeline = ctx.store.getState().timelines[room]
  if (timeline === undefined) return openTimeline(ctx, room)
  if (timeline.error !== null) {
    ctx.store.update((s) => setTimeline(s, room, (t) => ({ ...t, error: null })))
  }
  await loadPage(ctx, room)
}

export function setDraft(ctx: AppContext, room: RoomId, text: string): void {
  ctx.store.update((s) => ({ ...s, drafts: { ...s.drafts, [room]: text } }))
}

/** Sends, clearing the draft at once; on failure the text comes back so nothing is lost. */
export async function sendMessage(ctx: AppContext, room: RoomId, text: string): Promise<void> {
  if (utf8Length(text) > MAX_MESSAGE_BYTES) return
  if (hasAttachments(ctx, room)) {
    const composing = ctx.store.getState().composing[room]
    const replyTo = composing?.mode === 'reply' ? composing.message.id : undefined
    if (replyTo !== undefined) {
      ctx.store.update((s) => ({ ...s, composing: { ...s.composing, [room]: null } }))
    }
    return sendAttachments(ctx, room, text.trim() === '' ? '' : text, replyTo)
  }
  if (text.trim().length === 0) return
  ctx.store.update((s) => ({
    ...s,
    drafts: { ...s.drafts, [room]: '' },
    scrollRequest: s.scrollRequest + 1
  }))
  const composing = ctx.store.getState().composing[room]
  const replyTo = composing?.mode === 'reply' ? composing.message.id : undefined
  if (replyTo !== undefined) {
    ctx.store.update((s) => ({ ...s, composing: { ...s.composing, [room]: null } }))
  }
  try {
    const mentions = mentionedIn(text, ctx.store.getState().members[room] ?? [])
    const message = await ctx.api.send(room, { text, replyTo, mentions })
    ctx.store.update((s) =>
      s.timelines[room] === undefined
        ? s
        : setTimeline(s, room, (t) => withMessages(t, [message], (id) => ctx.sentIds.has(id)))
    )
    ctx.refreshRoom(room)
  } catch (err) {
    ctx.store.update((s) => (s.drafts[room] ? s : { ...s, drafts: { ...s.drafts, [room]: text } }))
    if (composing?.mode === 'reply' && !ctx.store.getState().composing[room]) {
      ctx.store.update((s) => ({ ...s, composing: { ...s.composing, [room]: composing } }))
    }
    showError(ctx, err)
  }
}

const lastMarked = new Map<RoomId, string>()

/**
 * Marks a room read up to `id` (its newest message), once per message, while that message is on
 * screen now: the list may have just scrolled up to the first unread in this same render.
 */
export function markRead(ctx: AppContext, room: RoomId, id: string): void {
  const s = ctx.store.getState()
  if (!s.atBottom || !s.visible || s.activeRoom !== room) return
  if (lastMarked.get(room) === id) return
  lastMarked.set(room, id)
  ctx.api.markRead(room, id).catch((err: unknown) => {
    lastMarked.delete(room)
    const info = errorInfo(err)
    // a message a reorder moved, or a room just left: the next message marks it read
    if (info.code !== 'MESSAGE_NOT_FOUND' && info.code !== 'ROOM_NOT_FOUND') showError(ctx, err)
  })
}
