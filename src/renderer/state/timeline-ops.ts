import type { Message, MessagePage, MessageState } from '../../shared/api/contract.js'
import type { TimelineState } from './types'

export function emptyTimeline(): TimelineState {
  return { messages: [], hasMore: true, loading: false, error: null }
}

function laterState(a: MessageState, b: MessageState): MessageState {
  return a === 'sent' || b === 'sent' ? 'sent' : 'pending'
}

function bySeq(a: Message, b: Message): number {
  return a.seq - b.seq || a.timestamp - b.timestamp
}

/**
 * Adds messages (from events, a send, or a page), oldest first by their position in the room.
 * A message already there is replaced, never duplicated, and never goes back from sent to pending.
 */
export function withMessages(
  timeline: TimelineState,
  incoming: readonly Message[],
  isSent: (id: string) => boolean = () => false
): TimelineState {
  if (incoming.length === 0) return timeline
  const ids = idsOf(timeline.messages)
  if (incoming.some((message) => ids.has(message.id))) {
    return withKnownMessages(timeline, incoming, isSent)
  }
  // the usual case (a page, a new message): nothing to replace, so no copy of what is loaded
  const added = newMessages(incoming, isSent)
  const messages = placed(timeline.messages, added)
  moveIds(timeline.messages, messages, added)
  return { ...timeline, messages }
}

/** `incoming` (none of them loaded) oldest first, each once, its state as `isSent` says. */
function newMessages(incoming: readonly Message[], isSent: (id: string) => boolean): Message[] {
  const added: Message[] = []
  const addedIndex = new Map<string, number>()
  for (const message of incoming) {
    const state = isSent(message.id) ? 'sent' : message.state
    const seen = addedIndex.get(message.id)
    if (seen !== undefined) {
      added[seen] = { ...message, state: laterState(added[seen].state, state) }
      continue
    }
    addedIndex.set(message.id, added.length)
    added.push(state === message.state ? message : { ...message, state })
  }
  added.sort(bySeq)
  return added
}

/** `added` (sorted) among `messages` (sorted). */
function placed(messages: readonly Message[], added: Message[]): Message[] {
  if (added.length === 0) return messages.slice()
  const first = messages[0]
  const last = messages[messages.length - 1]
  // the usual cases: new messages after the loaded ones, an older page before them
  if (last === undefined || bySeq(last, added[0]) <= 0) return messages.concat(added)
  if (bySeq(added[added.length - 1], first) <= 0) return added.concat(messages)
  // a reorder placed some among the loaded ones
  return messages.concat(added).sort(bySeq)
}

/** Some of `incoming` are loaded already: those are replaced in a copy of the loaded ones. */
function withKnownMessages(
  timeline: TimelineState,
  incoming: readonly Message[],
  isSent: (id: string) => boolean
): TimelineState {
  const messages = timeline.messages.slice()
  const indexById = new Map<string, number>()
  for (let i = 0; i < messages.length; i++) indexById.set(messages[i].id, i)
  const fresh: Message[] = []
  for (const message of incoming) {
    const existing = indexById.get(message.id)
    if (existing === undefined) {
      fresh.push(message)
      continue
    }
    const state = isSent(message.id) ? 'sent' : message.state
    messages[existing] = { ...message, state: laterState(messages[existing].state, state) }
  }
  const added = newMessages(fresh, isSent)
  const result = placed(messages, added)
  moveIds(timeline.messages, result, added)
  return { ...timeline, messages: result }
}

/**
 * The ids of a loaded message list, kept for the list that replaces it: telling whether a page
 * holds anything loaded already must not cost a pass over 100,000 messages per page.
 */
const idSets = new WeakMap<readonly Message[], Set<string>>()

function idsOf(messages: readonly Message[]): Set<string> {
  let ids = idSets.get(messages)
  if (ids === undefined) {
    ids = new Set()
    for (const message of messages) ids.add(message.id)
    idSets.set(messages, ids)
  }
  return ids
}

/** `next` is `previous` with `added`: its id set moves over (`previous` builds its own again). */
function moveIds(
  previous: readonly Message[],
  next: readonly Message[],
  added: readonly Message[]
): void {
  const ids = idSets.get(previous)
  if (ids === undefined) return
  idSets.delete(previous)
  for (const message of added) ids.add(message.id)
  idSets.set(next, ids)
}

/** An older page (from `messages(room, {before})`) goes in front of what is loaded. */
export function withOlderPage(timeline: TimelineState, page: MessagePage): TimelineState {
  const merged = withMessages(timeline, page.messages)
  return { ...merged, hasMore: page.hasMore, loading: false, error: null }
}

export function withSentStates(timeline: TimelineState, ids: ReadonlySet<string>): TimelineState {
  let changed = false
  const messages = timeline.messages.map((m) => {
    if (m.state === 'sent' || !ids.has(m.id)) return m
    changed = true
    return { ...m, state: 'sent' as const }
  })
  if (!changed) return timeline
  moveIds(timeline.messages, messages, [])
  return { ...timeline, messages }
}

/**
 * The newest messages read again after the room's order was rewritten: they replace what is
 * loaded, with their new positions. Loaded messages the read does not hold are dropped (gone, or
 * older than it: scrolling back loads them again), except those that arrived while it was read.
 */
export function withReloaded(
  timeline: TimelineState,
  page: MessagePage,
  loadedBefore: ReadonlySet<string>,
  isSent: (id: string) => boolean
): TimelineState {
  const states = new Map<string, MessageState>()
  for (const message of timeline.messages) states.set(message.id, message.state)
  const fresh = newMessages(page.messages, (id) => isSent(id) || states.get(id) === 'sent')
  const read = new Set(fresh.map((message) => message.id))
  const arrived = timeline.messages.filter((m) => !loadedBefore.has(m.id) && !read.has(m.id))
  const messages = arrived.length === 0 ? fresh : fresh.concat(arrived).sort(bySeq)
  return { ...timeline, messages, hasMore: page.hasMore }
}

/**
 * Messages that changed (edited, deleted, reacted to, pinned) replace the loaded ones with their
 * id, in place; one not loaded stays out (scrolling to it reads it as it is now).
 */
export function withChangedMessages(
  timeline: TimelineState,
  changed: ReadonlyMap<string, Message>
): TimelineState {
  let replaced = false
  const messages = timeline.messages.map((m) => {
    const now = changed.get(m.id)
    if (now === undefined) return m
    replaced = true
    return { ...now, state: laterState(m.state, now.state) }
  })
  if (!replaced) return timeline
  moveIds(timeline.messages, messages, [])
  return { ...timeline, messages }
}
