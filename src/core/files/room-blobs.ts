import b4a from 'b4a'
import type Corestore from 'corestore'
import type Hypercore from 'hypercore'
import Hyperblobs from 'hyperblobs'
import type { Room } from '../rooms/room.js'
import type { StoredWriter } from '../rooms/ops.js'
import { blobsCoreKey, FILE_BLOCK_BYTES } from './file-crypto.js'

/** Our blobs cores' names in the room's Corestore namespace: the same cores every start. */
const OWN_BLOBS_NAME = 'roost-blobs'
/** Files over the room's cap for blind peers: announced to nobody, kept by members only. */
const DIRECT_BLOBS_NAME = 'roost-blobs-direct'

/**
 * A room's blobs cores on this device: our own (a Hyperblobs core the files we send go into)
 * and the members' we read from. Each is encrypted at the Hypercore level with a key derived
 * from the room's encryption key, like the room's own cores, so a blind peer keeps ciphertext.
 */
export class RoomBlobs {
  private _room: Room
  private _own: Promise<Hyperblobs> | null
  private _direct: Promise<Hyperblobs> | null
  private _remote: Map<string, Hypercore>
  private _closed: boolean
  private _onOwn: (core: Hypercore) => void

  /** `onOwn` hears of our blobs core once it is open (to have the blind peers keep it). */
  constructor(room: Room, onOwn: (core: Hypercore) => void) {
    this._room = room
    this._onOwn = onOwn
    this._own = null
    this._direct = null
    this._remote = new Map()
    this._closed = false
  }

  private get _store(): Corestore {
    return (this._room.base as unknown as { store: Corestore }).store
  }

  private get _encryption(): { key: Buffer } {
    return { key: blobsCoreKey(this._room.base.encryptionKey) }
  }

  /** Our blobs core, ready; the room learns its key (`blobs-core`) before our first file. */
  own(): Promise<Hyperblobs> {
    this._own ??= this._openOwn()
    return this._own
  }

  /** Our core for files over the cap: never in the manifest, never given to a blind peer. */
  direct(): Promise<Hyperblobs> {
    this._direct ??= (async () => {
      await this.own() // the room knows we have files, so a restart opens both
      const core = this._store.get({ name: DIRECT_BLOBS_NAME, encryption: this._encryption })
      const blobs = new Hyperblobs(core, { blockSize: FILE_BLOCK_BYTES })
      await blobs.ready()
      return blobs
    })()
    return this._direct
  }

  private async _openOwn(): Promise<Hyperblobs> {
    const core = this._store.get({ name: OWN_BLOBS_NAME, encryption: this._encryption })
    const blobs = new Hyperblobs(core, { blockSize: FILE_BLOCK_BYTES })
    await blobs.ready()
    const writer = await this._room.view.get<StoredWriter>('@roost/writers', {
      key: this._room.writerKey
    })
    if (!writer?.blobs || !b4a.equals(writer.blobs, core.key)) {
      await this._room.append([{ name: '@roost/blobs-core', value: { key: core.key } }])
    }
    this._onOwn(core)
    return blobs
  }

  /** The blobs core `key` (ours or a member's), one session per key while the room is open. */
  async core(key: Buffer): Promise<Hypercore> {
    if (this._closed) throw new Error('room closed')
    const hex = b4a.toString(key, 'hex')
    let core = this._remote.get(hex)
    if (core === undefined) {
      core = this._store.get({ key, encryption: this._encryption })
      this._remote.set(hex, core)
    }
    await core.ready()
    return core
  }

  async close(): Promise<void> {
    this._closed = true
    const own = [this._own, this._direct]
    this._own = null
    this._direct = null
    const closing = [...this._remote.values()].map((core) => core.close().catch(() => {}))
    this._remote.clear()
    for (const blobs of own) {
      if (blobs !== null) closing.push(blobs.then((b) => b.close()).catch(() => {}))
    }
    await Promise.all(closing)
  }
}
