import b4a from 'b4a'
import { openDescriptor, type FileDescriptor } from '../files/file-descriptor.js'
import type { Room } from '../rooms/room.js'
import type { StoredMessage } from '../rooms/ops.js'
import { openEpochKey, openText, type Epoch } from './epoch-crypto.js'

/**
 * The epoch keys this device holds for one room: the boxes in the view sealed to our writer,
 * opened once and kept in memory (the view keeps the boxes, so nothing else goes to disk), and
 * those the person's own record kept (a device restored from the phrase has no box of its own).
 */
export class EpochKeyring {
  private _room: Room
  private _keys: Map<string, Buffer>
  /** Called with each key opened from a box here, for the person's record to keep. */
  onOpened: ((epoch: Epoch) => void) | null

  constructor(room: Room) {
    this._room = room
    this._keys = new Map()
    this.onOpened = null
  }

  /** A key the person's record kept for this room; false if we held it already. */
  learn(id: Buffer, key: Buffer): boolean {
    const hex = b4a.toString(id, 'hex')
    if (this._keys.has(hex)) return false
    this._keys.set(hex, key)
    return true
  }

  /** Opens the boxes sealed to us that we have not opened yet. */
  async refresh(): Promise<void> {
    const pair = this._room.writerKeyPair
    if (pair === null) return
    for (const box of await this._room.epochBoxesOf(this._room.writerKey)) {
      const id = b4a.toString(box.epoch, 'hex')
      if (this._keys.has(id)) continue
      const key = openEpochKey(box.box, pair)
      if (key === null) continue
      this._keys.set(id, key)
      this.onOpened?.({ id: box.epoch, key })
    }
  }

  key(id: Buffer): Buffer | null {
    return this._keys.get(b4a.toString(id, 'hex')) ?? null
  }

  /** Makes sure every epoch these messages name is opened, if it was sealed to us. */
  async prepare(messages: StoredMessage[]): Promise<void> {
    if (messages.some((m) => m.epoch && this.key(m.epoch) === null)) await this.refresh()
  }

  /** The current epoch with its key, or null while no admin has sealed it to us. */
  async current(): Promise<Epoch | null> {
    const epoch = await this._room.currentEpoch()
    if (epoch === null) return null
    if (this.key(epoch.id) === null) await this.refresh()
    const key = this.key(epoch.id)
    return key === null ? null : { id: epoch.id, key }
  }

  /** Every epoch we can read, to seal for a joiner. */
  held(): Epoch[] {
    return [...this._keys].map(([id, key]) => ({ id: b4a.from(id, 'hex'), key }))
  }

  /** A message's text; null when it is not ours to read (sealed in an epoch we were not given). */
  /** '' for a deleted message of an epoch we hold, null for one we never could read. */
  tombstoneText(message: StoredMessage): string | null {
    return message.epoch && this.key(message.epoch) !== null ? '' : null
  }

  /**
   * The attachment a message seals: undefined for none; null when it does not open with a key
   * we hold or is out of bounds (shown as an unreadable attachment).
   */
  fileOf(message: StoredMessage): FileDescriptor | null | undefined {
    if (!message.file) return undefined
    const key = message.epoch ? this.key(message.epoch) : null
    if (key === null || !message.fileNonce) return null
    return openDescriptor(message.file, message.fileNonce, key)
  }

  textOf(message: StoredMessage): string | null {
    if (!message.epoch || !message.nonce || !message.ciphertext) return null
    const key = this.key(message.epoch)
    return key === null ? null : openText(message.ciphertext, message.nonce, key)
  }
}
