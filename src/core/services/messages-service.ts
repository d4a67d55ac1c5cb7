import type {
  Message,
  MessagePage,
  MessagesOptions,
  SendOptions
} from '../../shared/api/contract.js'
import b4a from 'b4a'
import { RoostError } from '../../shared/api/errors.js'
import { sealText } from '../epochs/epoch-crypto.js'
import { sealDescriptor, type FileDescriptor } from '../files/file-descriptor.js'
import { isMessageId, messageId } from '../rooms/apply.js'
import type { JoinedRoom } from '../rooms/joined-room.js'
import type { StoredMessage } from '../rooms/ops.js'
import type { Room } from '../rooms/room.js'
import { roomUpdate } from '../rooms/room-update.js'
import { storeSync } from '../storage/store-sync.js'
import {
  expectOptionalObject,
  expectOptionalPositiveInt,
  expectString,
  validateMessageText
} from '../validate.js'
import type { CoreContext } from './core-context.js'
import { SendBatcher, type QueuedSend } from './send-batcher.js'
import { writeError } from './write-error.js'
import { mentionsOf } from './mentions.js'

const DEFAULT_PAGE = 50
const MAX_PAGE = 500
/**
 * How long send reads the view again while autobase moves it on (see _viewRead): a long backlog
 * applies in cut drains, so our own append can return before apply has reached it.
 */
const VIEW_READ_MS = 30_000
const VIEW_RETRY_MS = 50
const KEY_READ_MS = 1000

/** A written send: the message as apply stores it, but for its place in the timeline. */
type Written = Omit<StoredMessage, 'seq'>

/** Reading, sending and read markers. */
export class MessagesService {
  private _ctx: CoreContext
  /** Group commit of each open room's sends. */
  private _batchers: WeakMap<JoinedRoom, SendBatcher<Written>>

  constructor(ctx: CoreContext) {
    this._ctx = ctx
    this._batchers = new WeakMap()
  }

  async messages(ref: string, opts?: MessagesOptions): Promise<MessagePage> {
    const joined = this._ctx.joined(ref)
    const options = expectOptionalObject(opts, 'messages options')
    const limit = Math.min(
      MAX_PAGE,
      expectOptionalPositiveInt(options.limit, 'limit') ?? DEFAULT_PAGE
    )
    if (options.around !== undefined && options.around !== null) {
      if (options.before !== undefined && options.before !== null)
        throw RoostError.invalidArgument('Give before or around, not both')
      return this._around(joined, expectString(options.around, 'around'), limit)
    }
    let beforeSeq: number | null = null
    if (options.before !== undefined && options.before !== null) {
      const id = expectString(options.before, 'before')
      const before = await joined.room.messageById(id)
      if (before === null) throw RoostError.messageNotFound(id)
      beforeSeq = before.seq
    }
    const page = await joined.room.messagesBefore(beforeSeq, limit)
    return { messages: await joined.readable(page.messages), hasMore: page.hasMore }
  }

  /** The message `id` and the ones around it: half the page before it, the rest from it on. */
  private async _around(joined: JoinedRoom, id: string, limit: number): Promise<MessagePage> {
    const target = await joined.room.messageById(id)
    if (target === null) throw RoostError.messageNotFound(id)
    const older = await joined.room.messagesBefore(target.seq, Math.floor(limit / 2))
    const from = await joined.room.conversation.messagesFrom(
      target.seq,
      limit - older.messages.length
    )
    const messages = await joined.readable([...older.messages, ...from.messages])
    return { messages, hasMore: older.hasMore, hasNewer: from.hasMore }
  }

  /** A message, or with `file` a file message whose text (its caption) may be empty. */
  async send(ref: string, opts: SendOptions, file: FileDescriptor | null = null): Promise<Message> {
    const joined = this._ctx.joined(ref)
    const options = expectOptionalObject(opts, 'send options')
    const text =
      file !== null && (options.text === undefined || options.text === '')
        ? ''
        : validateMessageText(options.text)
    const replyTo =
      options.replyTo === undefined || options.replyTo === null
        ? null
        : expectString(options.replyTo, 'replyTo')
    // apply skips a reply id that is not one: refuse it here rather than write a lost message
    if (replyTo !== null && !isMessageId(replyTo))
      throw RoostError.invalidArgument('replyTo must be a message id')
    const room = joined.room
    if (replyTo !== null && (await room.messageById(replyTo)) === null)
      throw RoostError.messageNotFound(replyTo)
    const mentions = await mentionsOf(joined, options.mentions)
    if (!room.writable) throw RoostError.notWritable()
    const written = await this._batcherOf(joined).send({
      text,
      replyTo,
      mentions,
      timestamp: Date.now(),
      bytes: b4a.byteLength(text) + (file?.thumbnail?.byteLength ?? 0),
      file
    })
    // written: from here an error would make the caller send it again, so read through a view
    // that autobase moves on meanwhile
    const { id } = written
    // where apply put it, when apply has reached it: no need to read it back from the view
    const seq = room.applier.seqOf(id)
    const message =
      (seq === undefined ? null : joined.toMessage({ ...written, seq })) ??
      (await this._viewRead(room, async () => {
        const stored = await room.messageById(id)
        return stored === null ? null : joined.toMessage(stored)
      }))
    if (message === null)
      throw new RoostError('INTERNAL', 'The message was written but is not in the room view')
    this._ctx.setLastRead(joined, id)
    return message
  }

  private _batcherOf(joined: JoinedRoom): SendBatcher<Written> {
    let batcher = this._batchers.get(joined)
    if (batcher === undefined) {
      batcher = new SendBatcher((sends) => this._writeBatch(joined, sends))
      this._batchers.set(joined, batcher)
    }
    return batcher
  }

  /** One append of a batch of messages and one disk sync; their ids, in order. */
  private async _writeBatch(joined: JoinedRoom, sends: QueuedSend[]): Promise<Written[]> {
    const room = joined.room
    if (!room.writable) throw RoostError.notWritable()
    // a key that is not here within a second is one no admin has sealed to us yet
    const epoch = await this._viewRead(room, () => joined.keyring.current(), KEY_READ_MS)
    if (epoch === null) throw RoostError.noRoomKey()
    const ops = sends.map(({ text, replyTo, mentions, timestamp, file }) => {
      const { nonce, ciphertext } = sealText(text, epoch.key)
      const sealed = file ? sealDescriptor(file, epoch.key) : null
      const value = { text: '', timestamp, replyTo, epoch: epoch.id, nonce, ciphertext, mentions }
      return {
        name: '@roost/message' as const,
        value: sealed === null ? value : { ...value, fileNonce: sealed.nonce, file: sealed.sealed }
      }
    })
    try {
      const length = await room.append(ops)
      // acknowledged means on disk: one WAL fsync for every send that finished meanwhile
      await storeSync(this._ctx.requireStore()).sync()
      const first = length - ops.length
      return ops.map(({ value }, i) => ({
        ...value,
        id: messageId(room.writerKey, first + i),
        writer: room.writerKey,
        author: joined.me
      }))
    } catch (err) {
      throw writeError(room, err, this._ctx.dataDir)
    }
  }

  /**
   * A view read, again after the room's next update when autobase moved the view on under it
   * (SESSION_CLOSED: the read was in flight on a view session it replaced) or when it found
   * nothing yet; the last attempt's answer or error stands.
   */
  private async _viewRead<T>(
    room: Room,
    read: () => Promise<T | null>,
    ms = VIEW_READ_MS
  ): Promise<T | null> {
    const deadline = Date.now() + ms
    for (;;) {
      const last = Date.now() >= deadline || this._ctx.closing
      try {
        const value = await read()
        if (value !== null || last) return value
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'SESSION_CLOSED' || last) throw err
      }
      await roomUpdate(room, VIEW_RETRY_MS)
    }
  }

  async waitSent(ref: string, id: string): Promise<Message> {
    const joined = this._ctx.joined(ref)
    expectString(id, 'message id')
    const current = await joined.room.messageById(id)
    if (current === null || (await joined.readable([current])).length === 0)
      throw RoostError.messageNotFound(id)
    if (joined.stateOf(current.writer, current.id) !== 'sent') {
      await new Promise<void>((resolve) => {
        const onState = (event: { id: string }): void => {
          if (event.id !== id) return
          joined.off('state', onState)
          resolve()
        }
        joined.on('state', onState)
      })
    }
    const [message] = await joined.readable([(await joined.room.messageById(id)) ?? current])
    if (message === undefined) throw RoostError.messageNotFound(id)
    return message
  }

  async markRead(ref: string, id: string): Promise<void> {
    const joined = this._ctx.joined(ref)
    if ((await joined.room.messageById(expectString(id, 'message id'))) === null)
      throw RoostError.messageNotFound(id)
    this._ctx.setLastRead(joined, id)
    this._ctx.events.emit('onDidChangeRooms', { room: joined.id })
  }
}
