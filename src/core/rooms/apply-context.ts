import type { ApplyHost, ApplyNode } from 'autobase'
import type HyperDB from 'hyperdb'
import { cleanName } from '../../shared/text/clean-name.js'
import { MAX_NAME_CHARS } from '../../shared/api/errors.js'
import { ROLE, type StoredMember } from './ops.js'
import type { ApplyLookups } from './apply-lookups.js'
import type { ViewCounters } from './view-counters.js'

/** Thrown by a handler before it writes anything: the node is skipped, on every peer alike. */
export class Skip extends Error {}

export interface ApplyContext {
  view: HyperDB
  host: ApplyHost
  node: ApplyNode
  /** The author's member record, null for a writer that is not an active member. */
  author: StoredMember | null
  counters: ViewCounters
  /** Reads repeated across the batch's messages, once each. */
  lookups: ApplyLookups
  /** The room key (the creator's first writer). */
  roomKey: Buffer
}

/** Sender clocks are only shown, but a Date must be able to hold them (±8.64e15 ms). */
export const MAX_TIMESTAMP = 8.64e15
/** Invite ids are blind-pairing's (32 bytes); nothing longer is ever looked up or stored. */
export const MAX_INVITE_ID_BYTES = 64

export function requireMember(ctx: ApplyContext): StoredMember {
  if (ctx.author === null) throw new Skip('author is not a member')
  return ctx.author
}

export function requireAdmin(ctx: ApplyContext): StoredMember {
  const author = requireMember(ctx)
  if (author.role !== ROLE.ADMIN) throw new Skip('author is not an admin')
  return author
}

/** The name as every peer stores it: cleaned, and refused when nothing visible is left. */
export function storedName(name: string): string {
  const cleaned = cleanName(name, MAX_NAME_CHARS)
  if (cleaned.length === 0) throw new Skip('bad name')
  return cleaned
}

export function checkTimestamp(value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_TIMESTAMP)
    throw new Skip('timestamp out of range')
}
