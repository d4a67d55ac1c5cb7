import { checkTimestamp, type ApplyContext } from './apply-context.js'
import { messageId } from './message-id.js'
import type { StoredRosterChange } from './ops.js'

/** What a handler knows of a roster change; apply adds where and when it sits in the timeline. */
export interface RosterChangeFacts {
  kind: number
  subject: Buffer | null
  name: string
  previous?: string | null
  role?: number | null
}

/**
 * The roster changes' own timestamps are optional (ops from before issue 17 carry none): one
 * that is present must be in range like any other, so the op is refused before it writes.
 */
export function checkOptionalTimestamp(value: number | null | undefined): void {
  if (value !== undefined && value !== null) checkTimestamp(value)
}

/**
 * Records a line for the timeline ("Bob joined", "Alice made Bob an admin"): it sits after the
 * messages applied so far, so a reorder that re-applies the room moves it with them. `part`
 * tells apart two lines one op makes (a room renamed and given a new topic at once).
 */
export async function recordRosterChange(
  ctx: ApplyContext,
  facts: RosterChangeFacts,
  timestamp: number | null | undefined,
  part = 0
): Promise<void> {
  const actor = ctx.author?.profile ?? facts.subject
  if (actor === null) return
  const id = messageId(ctx.node.from.key, ctx.node.length - 1) + (part === 0 ? '' : '/' + part)
  const change: StoredRosterChange = {
    position: await ctx.counters.get('messages'),
    seq: await ctx.counters.increment('roster-changes'),
    id,
    kind: facts.kind,
    actor,
    subject: facts.subject,
    name: facts.name,
    previous: facts.previous ?? null,
    role: facts.role ?? null,
    timestamp: timestamp ?? 0
  }
  await ctx.view.insert('@roost/roster-changes', { ...change })
}
