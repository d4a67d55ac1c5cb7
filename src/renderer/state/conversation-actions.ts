import type { Message, RoomId } from '../../shared/api/contract.js'
import { errorInfo } from '../util/error-text'
import { mentionedIn } from '../util/mentions'
import type { AppContext } from './context'
import { loadOlder, openTimeline } from './timeline-actions'
import { withChangedMessages } from './timeline-ops'
import { showError } from './toast-actions'
import type { AppState, ComposingState } from './types'

/** A jump loads older pages until the message is there, up to this many messages. */
const MAX_JUMP_LOAD = 5000
const SEARCH_HITS = 20

/** The message as the API answered with it, in place in the loaded timeline. */
function withAnswer(s: AppState, room: RoomId, message: Message): AppState {
  const timeline = s.timelines[room]
  if (timeline === undefined) return s
  const changed = withChangedMessages(timeline, new Map([[message.id, message]]))
  return changed === timeline ? s : { ...s, timelines: { ...s.timelines, [room]: changed } }
}

function setComposing(ctx: AppContext, room: RoomId, composing: ComposingState | null): void {
  ctx.store.update((s) => ({ ...s, composing: { ...s.composing, [room]: composing } }))
}

export function startReply(ctx: AppContext, room: RoomId, message: Message): void {
  cancelComposing(ctx, room) // an edit in progress gives the typed draft back first
  setComposing(ctx, room, { mode: 'reply', message, draftBefore: null })
}

/** The composer takes the message's text; what was typed comes back when the edit ends. */
export function startEdit(ctx: AppContext, room: RoomId, message: Message): void {
  ctx.store.update((s) => {
    const current = s.composing[room]
    const draftBefore = current?.mode === 'edit' ? current.draftBefore : (s.drafts[room] ?? '')
    return {
      ...s,
      composing: { ...s.composing, [room]: { mode: 'edit', message, draftBefore } },
      drafts: { ...s.drafts, [room]: message.text }
    }
  })
}

/** ↑ in an empty composer: my newest loaded message that is not deleted. */
export function editLast(ctx: AppContext, room: RoomId): boolean {
  const s = ctx.store.getState()
  const me = s.profile?.id
  const messages = s.timelines[room]?.messages ?? []
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].author !== me || messages[i].deleted) continue
    startEdit(ctx, room, messages[i])
    return true
  }
  return false
}

export function cancelComposing(ctx: AppContext, room: RoomId): void {
  ctx.store.update((s) => {
    const current = s.composing[room]
    if (current === null || current === undefined) return s
    const drafts =
      current.mode === 'edit' ? { ...s.drafts, [room]: current.draftBefore ?? '' } : s.drafts
    return { ...s, drafts, composing: { ...s.composing, [room]: null } }
  })
}

/** Saves an edit; on failure the edit stays open with its text, so nothing is lost. */
export async function saveEdit(ctx: AppContext, room: RoomId, text: string): Promise<void> {
  const composing = ctx.store.getState().composing[room]
  if (composing?.mode !== 'edit' || text.trim().length === 0) return
  try {
    const mentions = mentionedIn(text, ctx.store.getState().members[room] ?? [])
    const message = await ctx.api.edit(room, composing.message.id, { text, mentions })
    ctx.store.update((s) => withAnswer(s, room, message))
    cancelComposing(ctx, room)
  } catch (err) {
    showError(ctx, err)
  }
}

export async function react(
  ctx: AppContext,
  room: RoomId,
  message: Message,
  emoji: string,
  on: boolean
): Promise<void> {
  try {
    const answer = await ctx.api.react(room, message.id, emoji, on)
    ctx.store.update((s) => withAnswer(s, room, answer))
  } catch (err) {
    showError(ctx, err)
  }
}

export async function pin(ctx: AppContext, room: RoomId, message: Message, on: boolean) {
  try {
    const answer = await ctx.api.pin(room, message.id, on)
    ctx.store.update((s) => withAnswer(s, room, answer))
    if (ctx.store.getState().pins?.room === room) await loadPins(ctx, room)
  } catch (err) {
    showError(ctx, err)
  }
}

export function askDelete(ctx: AppContext, room: RoomId, message: Message): void {
  ctx.store.update((s) => ({
    ...s,
    dialog: { kind: 'delete-message', room, message, busy: false, error: null }
  }))
}

export async function confirmDelete(ctx: AppContext): Promise<void> {
  const dialog = ctx.store.getState().dialog
  if (dialog?.kind !== 'delete-message' || dialog.busy) return
  ctx.store.update((s) => ({ ...s, dialog: { ...dialog, busy: true, error: null } }))
  try {
    const answer = await ctx.api.delete(dialog.room, dialog.message.id)
    ctx.store.update((s) => ({ ...withAnswer(s, dialog.room, answer), dialog: null }))
  } catch (err) {
    ctx.store.update((s) => ({ ...s, dialog: { ...dialog, busy: false, error: errorInfo(err) } }))
  }
}

export async function copyText(ctx: AppContext, message: Message): Promise<void> {
  try {
    await navigator.clipboard.writeText(message.text)
  } catch (err) {
    showError(ctx, err)
  }
}

export async function loadPins(ctx: AppContext, room: RoomId): Promise<void> {
  ctx.store.update((s) => ({
    ...s,
    pins: { room, messages: s.pins?.room === room ? s.pins.messages : null, error: null }
  }))
  try {
    const messages = await ctx.api.pins(room)
    ctx.store.update((s) =>
      s.pins?.room === room ? { ...s, pins: { room, messages, error: null } } : s
    )
  } catch (err) {
    ctx.store.update((s) =>
      s.pins?.room === room ? { ...s, pins: { room, messages: null, error: errorInfo(err) } } : s
    )
  }
}

export function togglePins(ctx: AppContext, room: RoomId): void {
  if (ctx.store.getState().pins?.room === room) {
    ctx.store.update((s) => ({ ...s, pins: null }))
    return
  }
  ctx.store.update((s) => ({ ...s, search: null, membersOpen: false }))
  void loadPins(ctx, room)
}

/** Ctrl+F: this room; Ctrl+Shift+F: every room. */
export function openSearch(ctx: AppContext, everywhere: boolean): void {
  ctx.store.update((s) => ({
    ...s,
    pins: null,
    membersOpen: false,
    search: {
      room: everywhere ? null : s.activeRoom,
      query: s.search?.query ?? '',
      results: null,
      busy: false,
      error: null
    }
  }))
  const query = ctx.store.getState().search?.query ?? ''
  if (query.trim() !== '') void runSearch(ctx, query)
}

export function closeSearch(ctx: AppContext): void {
  ctx.store.update((s) => ({ ...s, search: null }))
}

export async function runSearch(ctx: AppContext, query: string): Promise<void> {
  const start = ctx.store.getState().search
  if (start === null) return
  ctx.store.update((s) =>
    s.search === null ? s : { ...s, search: { ...s.search, query, busy: true, error: null } }
  )
  try {
    const results =
      query.trim() === ''
        ? []
        : await ctx.api.search(query, { room: start.room ?? undefined, limit: SEARCH_HITS })
    ctx.store.update((s) =>
      s.search === null || s.search.query !== query
        ? s
        : { ...s, search: { ...s.search, results, busy: false } }
    )
  } catch (err) {
    ctx.store.update((s) =>
      s.search === null || s.search.query !== query
        ? s
        : { ...s, search: { ...s.search, busy: false, error: errorInfo(err) } }
    )
  }
}

/**
 * Opens the room at a message (a search hit, a pin, a reply's original): older pages load until
 * the timeline holds it, then it scrolls into view, marked.
 */
export async function jumpTo(
  ctx: AppContext,
  room: RoomId,
  id: string,
  selectRoom: (room: RoomId) => void
): Promise<void> {
  if (ctx.store.getState().activeRoom !== room) selectRoom(room)
  await openTimeline(ctx, room)
  const has = (): boolean =>
    ctx.store.getState().timelines[room]?.messages.some((m) => m.id === id) ?? false
  for (;;) {
    const timeline = ctx.store.getState().timelines[room]
    if (has() || timeline === undefined) break
    if (!timeline.hasMore || timeline.messages.length >= MAX_JUMP_LOAD || timeline.error) break
    await loadOlder(ctx, room)
  }
  if (!has()) {
    showError(ctx, new Error('That message is not in this room any more, or too far back to show'))
    return
  }
  ctx.store.update((s) => ({ ...s, jump: { room, id, request: (s.jump?.request ?? 0) + 1 } }))
}
