import type {
  Message,
  MessagePage,
  MessagesOptions,
  SendOptions
} from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { sealText } from '../epochs/epoch-crypto.js'
import { messageId } from '../rooms/apply.js'
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
    const length = await joined.room.append([
      {
        name: '@roost/message',
        value: { text: '', timestamp: Date.now(), replyTo, epoch: epoch.id, nonce, ciphertext }
      }
    ])
    const id = messageId(joined.room.writerKey, length - 1)
    const stored = await joined.room.messageById(id)
    const message = stored === null ? null : joined.toMessage(stored)
    if (message === null)
      throw new RoostError('INTERNAL', 'The message was written but is not in the room view')
    this._ctx.setLastRead(joined, id)
    return message
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
