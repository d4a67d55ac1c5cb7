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
  const messages = timeline.messages.slice()
  const indexById = new Map<string, number>()
  for (let i = 0; i < messages.length; i++) indexById.set(messages[i].id, i)
  const added: Message[] = []
  const addedIndex = new Map<string, number>()
  for (const message of incoming) {
    const state = isSent(message.id) ? 'sent' : message.state
    const existing = indexById.get(message.id)
    if (existing !== undefined) {
      const old = messages[existing]
      messages[existing] = { ...message, state: laterState(old.state, state) }
      continue
    }
    const seen = addedIndex.get(message.id)
    if (seen !== undefined) {
      added[seen] = { ...message, state: laterState(added[seen].state, state) }
      continue
    }
    addedIndex.set(message.id, added.length)
    added.push(state === message.state ? message : { ...message, state })
  }
  if (added.length === 0) return { ...timeline, messages }
  added.sort(bySeq)
  const first = messages[0]
  const last = messages[messages.length - 1]
  // the usual cases: new messages after the loaded ones, an older page before them
  if (last === undefined || bySeq(last, added[0]) <= 0) {
    return { ...timeline, messages: messages.concat(added) }
  }
  if (bySeq(added[added.length - 1], first) <= 0) {
    return { ...timeline, messages: added.concat(messages) }
  }
  // a reorder placed some among the loaded ones
  return { ...timeline, messages: messages.concat(added).sort(bySeq) }
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
  return changed ? { ...timeline, messages } : timeline
}
