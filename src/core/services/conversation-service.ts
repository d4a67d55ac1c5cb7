import b4a from 'b4a'
import z32 from 'z32'
import type { EditOptions, Message } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { isReactionEmoji } from '../../shared/text/reaction-emoji.js'
import { sealText } from '../epochs/epoch-crypto.js'
import { MAX_EMOJI_PER_MESSAGE, MAX_REACTIONS_PER_MEMBER } from '../rooms/apply-conversation.js'
import type { JoinedRoom } from '../rooms/joined-room.js'
import type { OpName, OpValues, StoredMessage } from '../rooms/ops.js'
import type { Room } from '../rooms/room.js'
import { roomUpdate } from '../rooms/room-update.js'
import { storeSync } from '../storage/store-sync.js'
import { expectOptionalObject, expectString, validateMessageText } from '../validate.js'
import type { CoreContext } from './core-context.js'
import { mentionsOf } from './mentions.js'
import { writeError } from './write-error.js'

/** How long a change waits for apply to reach it (a long backlog applies in cut drains). */
const APPLY_WAIT_MS = 30_000

type ChangeOp = { [K in OpName]: { name: K; value: OpValues[K] } }[OpName]

/** Resolves once apply has reached the first `length` blocks of our writer, or after `ms`. */
async function untilApplied(room: Room, length: number, ms: number): Promise<void> {
  const applied = (): boolean =>
    room.applier.hasApplied(room.writerKey, length) || room.base.closing !== null
  if (!applied()) await roomUpdate(room, ms, applied)
}

/** What a skip of our own op means, as the API says it (apply's reasons: apply-conversation.ts). */
function skipError(reason: string, id: string): RoostError {
  if (reason.includes('message deleted')) return RoostError.messageDeleted(id)
  if (reason.includes('only admins') || reason.includes('not an admin'))
    return RoostError.notAdmin()
  if (reason.includes('only the author')) return RoostError.notAuthor()
  if (reason.includes('no such message')) return RoostError.messageNotFound(id)
  return RoostError.invalidArgument(`The room did not take it (${reason})`)
}

/** Edits, deletes, reactions and pins: each one op, checked here first so it is not skipped. */
export class ConversationService {
  private _ctx: CoreContext

  constructor(ctx: CoreContext) {
    this._ctx = ctx
  }

  async edit(ref: string, id: unknown, opts: EditOptions): Promise<Message> {
    const joined = this._ctx.joined(ref)
    const options = expectOptionalObject(opts, 'edit options')
    const text = validateMessageText(options.text)
    const target = await this._target(joined, id)
    if (!b4a.equals(target.author, joined.me)) throw RoostError.notAuthor()
    const mentions = await mentionsOf(joined, options.mentions)
    const epoch = await joined.keyring.current()
    if (epoch === null) throw RoostError.noRoomKey()
    const { nonce, ciphertext } = sealText(text, epoch.key)
    const value = {
      id: target.id,
      timestamp: Date.now(),
      epoch: epoch.id,
      nonce,
      ciphertext,
      mentions
    }
    return this._change(joined, target.id, { name: '@roost/message-edit', value })
  }

  async delete(ref: string, id: unknown): Promise<Message> {
    const joined = this._ctx.joined(ref)
    const target = await this._target(joined, id)
    if (!b4a.equals(target.author, joined.me) && !(await joined.isAdmin()))
      throw new RoostError('NOT_AUTHOR', 'Only its author or an admin can delete this message')
    const value = { id: target.id, timestamp: Date.now() }
    return this._change(joined, target.id, { name: '@roost/message-delete', value })
  }

  async react(ref: string, id: unknown, emoji: unknown, on: unknown): Promise<Message> {
    const joined = this._ctx.joined(ref)
    if (!isReactionEmoji(emoji)) throw RoostError.invalidArgument('A reaction is one emoji')
    if (typeof on !== 'boolean') throw RoostError.invalidArgument('on must be true or false')
    const target = await this._target(joined, id)
    const mine = (target.reactions ?? []).filter((r) =>
      r.profiles.some((p) => b4a.equals(p, joined.me))
    )
    const has = mine.some((r) => r.emoji === emoji)
    if (has === on) return this._current(joined, target.id)
    if (on && mine.length >= MAX_REACTIONS_PER_MEMBER)
      throw RoostError.invalidArgument(`At most ${MAX_REACTIONS_PER_MEMBER} reactions on a message`)
    const emojiThere = (target.reactions ?? []).some((r) => r.emoji === emoji)
    if (on && !emojiThere && (target.reactions ?? []).length >= MAX_EMOJI_PER_MESSAGE)
      throw RoostError.invalidArgument(`A message holds at most ${MAX_EMOJI_PER_MESSAGE} emoji`)
    return this._change(joined, target.id, {
      name: '@roost/message-react',
      value: { id: target.id, emoji, on }
    })
  }

  async pin(ref: string, id: unknown, on: unknown): Promise<Message> {
    const joined = this._ctx.joined(ref)
    if (typeof on !== 'boolean') throw RoostError.invalidArgument('on must be true or false')
    await this._ctx.requireAdmin(joined)
    const target = await this._target(joined, id)
    if ((target.pinned === true) === on) return this._current(joined, target.id)
    return this._change(joined, target.id, {
      name: '@roost/message-pin',
      value: { id: target.id, on, timestamp: Date.now() }
    })
  }

  async pins(ref: string): Promise<Message[]> {
    const joined = this._ctx.joined(ref)
    const stored: StoredMessage[] = []
    for (const pin of await joined.room.conversation.pins()) {
      const message = await joined.room.messageById(pin.id)
      if (message !== null) stored.push(message)
    }
    return joined.readable(stored)
  }

  /** The message an op is about: there, readable by us, not deleted. */
  private async _target(joined: JoinedRoom, id: unknown): Promise<StoredMessage> {
    const messageId = expectString(id, 'message id')
    const stored = await joined.room.messageById(messageId)
    if (stored === null || (await joined.readable([stored])).length === 0)
      throw RoostError.messageNotFound(messageId)
    if (stored.deleted === true) throw RoostError.messageDeleted(messageId)
    return stored
  }

  private async _current(joined: JoinedRoom, id: string): Promise<Message> {
    const stored = await joined.room.messageById(id)
    const [message] = stored === null ? [] : await joined.readable([stored])
    if (message === undefined) throw RoostError.messageNotFound(id)
    return message
  }

  /** Appends one op, on disk before it returns, and answers with the message as apply left it. */
  private async _change(joined: JoinedRoom, id: string, op: ChangeOp): Promise<Message> {
    const room = joined.room
    if (!room.writable) throw RoostError.notWritable()
    let length: number
    try {
      length = await room.append([op])
      await storeSync(this._ctx.requireStore()).sync()
    } catch (err) {
      throw writeError(room, err, this._ctx.dataDir)
    }
    await untilApplied(room, length, APPLY_WAIT_MS)
    // checked first, yet the room may not take it: a delete or a role change came in between
    const writer = z32.encode(room.writerKey)
    const skipped = room.applier.skipped
    for (let i = skipped.length - 1; i >= 0; i--) {
      if (skipped[i].writer === writer && skipped[i].length === length)
        throw skipError(skipped[i].reason, id)
    }
    return this._current(joined, id)
  }
}
