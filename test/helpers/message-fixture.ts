import type { Message } from '../../src/shared/api/contract.js'

/** A sent message as the API returns it, with `over` replacing any field. */
export function messageFixture(over: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    room: 'room',
    author: 'author',
    authorName: 'Ann',
    text: 'hi',
    timestamp: 1_767_000_000_000,
    replyTo: null,
    editedAt: null,
    deleted: false,
    reactions: {},
    mentions: [],
    pinned: false,
    state: 'sent',
    seq: 0,
    file: null,
    ...over
  }
}
