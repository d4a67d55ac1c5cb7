import b4a from 'b4a'
import { MAX_MESSAGE_BYTES } from '../../shared/api/errors.js'
import { isReactionEmoji } from '../../shared/text/reaction-emoji.js'
import { MAC_BYTES, NONCE_BYTES } from '../epochs/epoch-crypto.js'
import { checkTimestamp, requireMember, Skip, type ApplyContext } from './apply-context.js'
import { isMessageId } from './message-id.js'
import { ROLE, type OpValues, type StoredMessage } from './ops.js'

/** A message names at most this many members. */
export const MAX_MENTIONS = 50
/** One member puts at most this many different emoji on one message. */
export const MAX_REACTIONS_PER_MEMBER = 20
/** At most this many different emoji on one message, from everyone. */
export const MAX_EMOJI_PER_MESSAGE = 50

/** The checks every text sealed with an epoch key passes: a message's and an edit's. */
export async function checkSealedText(
  sealed: { epoch?: Buffer | null; nonce?: Buffer | null; ciphertext?: Buffer | null },
  ctx: ApplyContext,
  /** A file's caption may be empty. */
  mayBeEmpty = false
): Promise<void> {
  const { epoch, nonce, ciphertext } = sealed
  if (!epoch || !nonce || !ciphertext) throw new Skip('not sealed')
  if (nonce.length !== NONCE_BYTES) throw new Skip('bad nonce')
  const bytes = ciphertext.length - MAC_BYTES
  if (bytes < 0 || (bytes === 0 && !mayBeEmpty)) throw new Skip('empty message')
  if (bytes > MAX_MESSAGE_BYTES) throw new Skip('message too large')
  if (!(await ctx.lookups.hasEpoch(epoch))) throw new Skip('unknown epoch')
}

/** Mentions as stored: each a member of the room (now or once), each once; null for none. */
export async function checkMentions(
  mentions: Buffer[] | null | undefined,
  ctx: ApplyContext
): Promise<Buffer[] | null> {
  if (!mentions || mentions.length === 0) return null
  if (mentions.length > MAX_MENTIONS) throw new Skip('too many mentions')
  const seen = new Set<string>()
  for (const profile of mentions) {
    const hex = b4a.toString(profile, 'hex')
    if (seen.has(hex)) throw new Skip('a member mentioned twice')
    seen.add(hex)
    if ((await ctx.view.get('@roost/members', { profile })) === null)
      throw new Skip('mention of a profile that is not a member')
  }
  return mentions
}

/** The message an op names; deleted ones are refused unless `allowDeleted`. */
async function targetOf(id: string, ctx: ApplyContext): Promise<StoredMessage> {
  if (!isMessageId(id)) throw new Skip('bad message id')
  const target = await ctx.view.get<StoredMessage>('@roost/messages-by-id', { id })
  if (target === null) throw new Skip('no such message')
  if (target.deleted === true) throw new Skip('message deleted')
  return target
}

/** Notes which message changed, for every client to read it again. */
async function recordChange(target: StoredMessage, ctx: ApplyContext): Promise<void> {
  const seq = await ctx.counters.increment('changes')
  await ctx.view.insert('@roost/message-changes', { seq, id: target.id })
}

export async function applyEdit(
  op: OpValues['@roost/message-edit'],
  ctx: ApplyContext
): Promise<void> {
  const author = requireMember(ctx)
  checkTimestamp(op.timestamp)
  const target = await targetOf(op.id, ctx)
  if (!b4a.equals(target.author, author.profile)) throw new Skip('only the author edits')
  await checkSealedText(op, ctx)
  const mentions = await checkMentions(op.mentions, ctx)
  await ctx.view.insert('@roost/messages', {
    ...target,
    epoch: op.epoch,
    nonce: op.nonce,
    ciphertext: op.ciphertext,
    // an edit always shows as one, even one whose author's clock reads 0
    editedAt: Math.max(1, op.timestamp),
    mentions
  })
  await recordChange(target, ctx)
}

/** By the author, or by an admin for anyone's: the view keeps a tombstone, not the text. */
export async function applyDelete(
  op: OpValues['@roost/message-delete'],
  ctx: ApplyContext
): Promise<void> {
  const author = requireMember(ctx)
  checkTimestamp(op.timestamp)
  const target = await targetOf(op.id, ctx)
  if (!b4a.equals(target.author, author.profile) && author.role !== ROLE.ADMIN)
    throw new Skip('only the author or an admin deletes')
  await ctx.view.insert('@roost/messages', {
    ...target,
    text: '',
    // the epoch stays: a member who never held its key sees no tombstone either
    nonce: null,
    ciphertext: null,
    deleted: true,
    pinned: false,
    mentions: null,
    reactions: null,
    fileNonce: null,
    file: null
  })
  if (target.pinned === true) await ctx.view.delete('@roost/pins', { seq: target.seq })
  if (target.file) await ctx.view.delete('@roost/files', { seq: target.seq })
  await recordChange(target, ctx)
}

/** One of each emoji per member, toggled on and off. */
export async function applyReact(
  op: OpValues['@roost/message-react'],
  ctx: ApplyContext
): Promise<void> {
  const author = requireMember(ctx)
  if (!isReactionEmoji(op.emoji)) throw new Skip('not one emoji')
  const target = await targetOf(op.id, ctx)
  const me = author.profile
  const reactions = (target.reactions ?? []).map((r) => ({ ...r, profiles: [...r.profiles] }))
  const entry = reactions.find((r) => r.emoji === op.emoji)
  const mine = entry?.profiles.findIndex((p) => b4a.equals(p, me)) ?? -1
  if (op.on) {
    if (mine !== -1) throw new Skip('already reacted with it')
    const ofMember = reactions.filter((r) => r.profiles.some((p) => b4a.equals(p, me))).length
    if (ofMember >= MAX_REACTIONS_PER_MEMBER) throw new Skip('too many reactions from one member')
    if (entry !== undefined) entry.profiles.push(me)
    else if (reactions.length >= MAX_EMOJI_PER_MESSAGE) throw new Skip('too many emoji')
    else reactions.push({ emoji: op.emoji, profiles: [me] })
  } else {
    if (entry === undefined || mine === -1) throw new Skip('no such reaction')
    entry.profiles.splice(mine, 1)
  }
  const kept = reactions.filter((r) => r.profiles.length > 0)
  await ctx.view.insert('@roost/messages', {
    ...target,
    reactions: kept.length === 0 ? null : kept
  })
  await recordChange(target, ctx)
}

/** Admins pin and unpin; the room's pinned list is in timeline order. */
export async function applyPin(
  op: OpValues['@roost/message-pin'],
  ctx: ApplyContext
): Promise<void> {
  const author = requireMember(ctx)
  if (author.role !== ROLE.ADMIN) throw new Skip('only admins pin')
  checkTimestamp(op.timestamp)
  const target = await targetOf(op.id, ctx)
  if (op.on === (target.pinned === true)) throw new Skip(op.on ? 'already pinned' : 'not pinned')
  await ctx.view.insert('@roost/messages', { ...target, pinned: op.on })
  if (op.on) {
    await ctx.view.insert('@roost/pins', {
      seq: target.seq,
      id: target.id,
      by: author.profile,
      timestamp: op.timestamp
    })
  } else {
    await ctx.view.delete('@roost/pins', { seq: target.seq })
  }
  await recordChange(target, ctx)
}
