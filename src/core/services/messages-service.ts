import type {
  Message,
  MessagePage,
  MessagesOptions,
  SendOptions
} from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { sealText } from '../epochs/epoch-crypto.js'
import { messageId } from '../rooms/apply.js'
import type { Room } from '../rooms/room.js'
import { diskFullOr } from '../storage/disk-full.js'
import { storeSync } from '../storage/store-sync.js'
import {
  expectOptionalObject,
  expectOptionalPositiveInt,
  expectString,
  validateMessageText
} from '../validate.js'
import type { CoreContext } from './core-context.js'

const DEFAULT_PAGE = 50
const MAX_PAGE = 500

/** Reading, sending and read markers. */
export class MessagesService {
  private _ctx: CoreContext

  constructor(ctx: CoreContext) {
    this._ctx = ctx
  }

  async messages(ref: string, opts?: MessagesOptions): Promise<MessagePage> {
    const joined = this._ctx.joined(ref)
    const options = expectOptionalObject(opts, 'messages options')
    const limit = Math.min(
      MAX_PAGE,
      expectOptionalPositiveInt(options.limit, 'limit') ?? DEFAULT_PAGE
    )
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

  async send(ref: string, opts: SendOptions): Promise<Message> {
    const joined = this._ctx.joined(ref)
    const options = expectOptionalObject(opts, 'send options')
    const text = validateMessageText(options.text)
    const replyTo =
      options.replyTo === undefined || options.replyTo === null
        ? null
        : expectString(options.replyTo, 'replyTo')
    if (!joined.room.writable) throw RoostError.notWritable()
    const epoch = await joined.keyring.current()
    if (epoch === null) throw RoostError.noRoomKey()
    const { nonce, ciphertext } = sealText(text, epoch.key)
    const room = joined.room
    let length: number
    try {
      length = await room.append([
        {
          name: '@roost/message',
          value: { text: '', timestamp: Date.now(), replyTo, epoch: epoch.id, nonce, ciphertext }
        }
      ])
      // acknowledged means on disk: one WAL fsync for every send that finished meanwhile
      await storeSync(this._ctx.requireStore()).sync()
    } catch (err) {
      throw this._writeError(room, err)
    }
    const id = messageId(joined.room.writerKey, length - 1)
    const stored = await joined.room.messageById(id)
    const message = stored === null ? null : joined.toMessage(stored)
    if (message === null)
      throw new RoostError('INTERNAL', 'The message was written but is not in the room view')
    this._ctx.setLastRead(joined, id)
    return message
  }

  /**
   * A failed write as the API reports it. A full disk fails RocksDB's batch inside autobase,
   * which closes the room's base and leaves the error as its last one; the append itself may
   * only say that autobase is closing.
   */
  private _writeError(room: Room, err: unknown): unknown {
    const where = this._ctx.dataDir
    const mapped = diskFullOr(err, where)
    if (mapped !== err) return mapped
    const last = (room.base as { getLastError?: () => unknown }).getLastError?.() ?? null
    if (last === null) return err
    const fromLast = diskFullOr(last, where)
    return fromLast === last ? err : fromLast
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
