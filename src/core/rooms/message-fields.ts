import z32 from 'z32'
import type { Message } from '../../shared/api/contract.js'
import type { StoredMessage } from './ops.js'

type ConversationFields = Pick<
  Message,
  'editedAt' | 'deleted' | 'reactions' | 'mentions' | 'pinned'
>

/** What edits, deletes, reactions, pins and mentions made of a stored message, as DTO fields. */
export function conversationFields(stored: StoredMessage): ConversationFields {
  const reactions: Record<string, string[]> = {}
  for (const r of stored.reactions ?? []) reactions[r.emoji] = r.profiles.map((p) => z32.encode(p))
  return {
    editedAt: stored.editedAt ? stored.editedAt : null,
    deleted: stored.deleted === true,
    reactions,
    mentions: (stored.mentions ?? []).map((p) => z32.encode(p)),
    pinned: stored.pinned === true
  }
}
