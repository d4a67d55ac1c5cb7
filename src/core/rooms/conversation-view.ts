import type { StoredMessage, StoredPin } from './ops.js'

type Find = <T>(
  collection: string,
  range?: Record<string, unknown>,
  options?: { reverse?: boolean; limit?: number }
) => Promise<T[]>
type Get = <T>(collection: string, key: Record<string, unknown>) => Promise<T | null>

/**
 * The view's record of changes to messages (edits, deletes, reactions, pins), the pins, and the
 * reads that open the timeline at a message.
 */
export class ConversationView {
  private _find: Find
  private _get: Get

  /** Reads through the room's view, read again when autobase moves it on (Room._read). */
  constructor(find: Find, get: Get) {
    this._find = find
    this._get = get
  }

  /** How many changes apply has made to messages: grows with every edit, delete, reaction, pin. */
  async changeCount(): Promise<number> {
    const counter = await this._get<{ value: number }>('@roost/counters', { name: 'changes' })
    return counter === null ? 0 : counter.value
  }

  /** The ids of the messages changed by changes `from` onwards, each once, oldest change first. */
  async changedSince(from: number, limit: number): Promise<string[]> {
    const changes = await this._find<{ seq: number; id: string }>(
      '@roost/message-changes',
      { gte: { seq: from } },
      { limit }
    )
    return [...new Set(changes.map((c) => c.id))]
  }

  /** The message at position `seq` if it is still the one with `id` (else a reorder moved it). */
  async messageAt(seq: number, id: string): Promise<StoredMessage | null> {
    if (!Number.isSafeInteger(seq) || seq < 0) return null
    const stored = await this._get<StoredMessage>('@roost/messages', { seq })
    return stored !== null && stored.id === id ? stored : null
  }

  /** Up to `limit` messages from position `seq` on, oldest first (a jump to a message). */
  async messagesFrom(
    seq: number,
    limit: number
  ): Promise<{ messages: StoredMessage[]; hasMore: boolean }> {
    const messages = await this._find<StoredMessage>(
      '@roost/messages',
      { gte: { seq } },
      { limit: limit + 1 }
    )
    return { messages: messages.slice(0, limit), hasMore: messages.length > limit }
  }

  /** The room's pinned messages, in timeline order. */
  async pins(): Promise<StoredPin[]> {
    return this._find<StoredPin>('@roost/pins', {})
  }
}
