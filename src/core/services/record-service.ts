import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import { SerialTask } from '../../shared/util/serial-task.js'
import { bindWriter, type KeyPair } from '../identity/identity-key.js'
import { PersonalRecord, type RecordRoom } from '../record/personal-record.js'
import { recordKeysOf } from '../record/record-keys.js'
import { recordManifestSource } from '../record/record-manifest.js'
import { reconcile, type LocalSide } from '../record/record-reconcile.js'
import type { RoomEntry } from '../rooms/room-registry.js'
import { validateName } from '../validate.js'
import type { CoreContext } from './core-context.js'
import type { RoomsService } from './rooms-service.js'

/** Local changes (a read, a send) come in bursts: the record hears of them this much later. */
const SYNC_DELAY_MS = 300
/** A device restored from the phrase takes the record as read once it went this long unchanged. */
const SETTLED_MS = 500
const STORE_NAMESPACE = 'personal-record'

export interface RecordOpenOptions {
  /** The profile was just restored from its phrase on this device. */
  restored?: boolean
}

/**
 * The person's own record on this device (record/): opens it, mirrors it to the profile's blind
 * peer, adds this device's writer, and keeps it and this device in step (record-reconcile.ts).
 */
export class RecordService {
  private _ctx: CoreContext
  private _rooms: RoomsService
  private _record: PersonalRecord | null
  private _sync: SerialTask
  private _timer: NodeJS.Timeout | null
  private _unsubscribe: () => void
  /** Rooms the record named that would not open here: not tried again this run. */
  private _unopenable: Set<string>
  private _closing: boolean
  /** The record's writers and blind peer as last told to the blind peers. */
  private _mirrored: string
  private _joined: boolean
  /** Rooms this device asked to write in by itself (see _claimWriters). */
  private _claimed: Set<string>

  constructor(ctx: CoreContext, rooms: RoomsService) {
    this._ctx = ctx
    this._rooms = rooms
    this._record = null
    this._sync = new SerialTask(
      () => this._syncOnce(),
      (err) => this._record?.emit('warning', err)
    )
    this._timer = null
    this._unsubscribe = () => {}
    this._unopenable = new Set()
    this._closing = false
    this._mirrored = ''
    this._joined = false
    this._claimed = new Set()
  }

  get record(): PersonalRecord | null {
    return this._record
  }

  /**
   * Opens the profile's record. A device that holds the identity's secret finds it from that; a
   * linked device from what the device that linked it said (record.json); one linked before the
   * record existed has none.
   */
  async open(opts: RecordOpenOptions = {}): Promise<void> {
    const ctx = this._ctx
    if (this._record !== null || ctx.profile.profile === null) return
    const store = ctx.requireStore()
    const signer = this._firstSigner()
    let file = ctx.recordFile.record
    if (file === null) {
      if (signer === null) return
      const keys = recordKeysOf(ctx.profile.identity().keyPair.secretKey)
      file = await ctx.recordFile.save(keys, opts.restored !== true)
    }
    const record = new PersonalRecord(store.namespace(STORE_NAMESPACE), {
      key: b4a.from(file.key, 'hex'),
      encryptionKey: b4a.from(file.encryptionKey, 'hex'),
      identity: ctx.profile.publicKey,
      signer: file.first ? signer : null,
      wakeup: ctx.wakeup
    })
    await record.ready()
    this._record = record
    record.on('warning', () => {})
    record.on('update', () => this._sync.request())
    ctx.recordNotes.listen(() => this._syncSoon())
    this._unsubscribe = ctx.events.subscribe('onDidChangeRooms', () => this._syncSoon())
    void this._joinTopic()
    // the first device's binding too: who may unlink whom goes by the devices' proofs
    if (record.writable) await record.addSelf(this._binding(record))
    this._mirror()
    this._sync.request()
    if (!record.writable && !opts.restored) void this.join(30_000).catch(() => {})
  }

  /** An unlinked device: the record ignores its writers from now on (when this device writes it). */
  async revokeDevice(device: Buffer): Promise<void> {
    const record = this._record
    if (record === null || !record.writable || this._closing) return
    await record.append([{ t: 'revoke', device: b4a.toString(device, 'hex') }])
  }

  /** Keys a device being linked from this one is given (null without a record). */
  keys(): { key: Buffer; encryptionKey: Buffer } | null {
    const record = this._record
    return record === null ? null : { key: record.key, encryptionKey: record.base.encryptionKey }
  }

  /**
   * Reads the record as far as the online devices and blind peers have it (at most `timeoutMs`),
   * then adds this device's writer and takes the rooms. Whether any of it was found.
   */
  async join(timeoutMs: number): Promise<boolean> {
    const record = this._record
    if (record === null) return false
    const found = await this._settled(record, timeoutMs)
    if (this._closing) return found
    await record.addSelf(this._binding(record))
    this._mirror()
    this._sync.request()
    await this._sync.idle()
    return found
  }

  /**
   * Writes what this device still owes the record (a read a moment ago) and stops syncing; the
   * base stays open so the blind peers can be given the last of it before close().
   */
  async finish(): Promise<void> {
    if (this._timer !== null) clearTimeout(this._timer)
    this._timer = null
    this._unsubscribe()
    this._ctx.recordNotes.listen(() => {})
    await this._sync.idle().catch(() => {})
    const record = this._record
    if (record !== null && !this._closing && record.writable) {
      await reconcile(record, this._local()).catch(() => {})
      await this._mirrorIfChanged(record).catch(() => {})
    }
    this._closing = true
  }

  async close(): Promise<void> {
    await this.finish()
    const record = this._record
    if (record === null) return
    // not left: a leave waits on its DHT announce (long when no DHT node answers); the network's
    // destroy, next, ends the topic anyway
    await record.close()
  }

  /** Until the record has its name and went SETTLED_MS without a change, or the time is up. */
  private async _settled(record: PersonalRecord, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    while (!this._closing && Date.now() < deadline) {
      await record.base.update()
      const found = (await record.name()) !== null
      const wait = found ? SETTLED_MS : deadline - Date.now()
      const changed = await nextUpdate(record, Math.max(0, Math.min(wait, deadline - Date.now())))
      if (found && !changed) return true
    }
    return (await record.name()) !== null
  }

  private _binding(record: PersonalRecord): Buffer {
    const profile = this._ctx.profile
    return bindWriter(record.discoveryKey, record.writerKey, profile.device, profile.proof)
  }

  private _firstSigner(): KeyPair | null {
    const profile = this._ctx.profile
    return profile.holdsIdentity ? recordKeysOf(profile.identity().keyPair.secretKey).signer : null
  }

  private _mirror(): void {
    const record = this._record
    const mirroring = this._ctx.mirroring
    if (record === null || mirroring === null || this._closing) return
    const keys = (): Buffer[] => {
      const key = this._ctx.config.config.blindPeer
      return key === null ? [] : [z32.decode(key)]
    }
    mirroring.mirrorRecord(recordManifestSource(record, keys, this._firstSigner()), keys())
  }

  /**
   * The person's devices meet on the record's topic, once a DHT node has answered: with none
   * answering nobody could find us, and an announce that cannot finish would hold up every
   * start (`serve` waits for its announces) and every stop.
   */
  private async _joinTopic(): Promise<void> {
    const record = this._record
    const network = this._ctx.network
    if (record === null || network === null || this._joined) return
    this._joined = true
    await network.swarm.dht.ready().catch(() => {})
    if (this._closing || network.dhtReachable !== true) return
    network.join(record.discoveryKey).catch(() => {})
  }

  private _syncSoon(): void {
    if (this._timer !== null || this._closing) return
    this._timer = setTimeout(() => {
      this._timer = null
      this._sync.request()
    }, SYNC_DELAY_MS)
  }

  private async _syncOnce(): Promise<void> {
    const record = this._record
    if (record === null || this._closing || this._ctx.closing) return
    try {
      await reconcile(record, this._local())
      await this._claimWriters()
      await this._mirrorIfChanged(record)
    } catch (err) {
      // a room's view moving on under a read (or a room closing) ends a pass: run it again soon
      this._syncSoon()
      throw err
    }
  }

  private async _mirrorIfChanged(record: PersonalRecord): Promise<void> {
    // a device added (or this one), or another blind peer, changes what the blind peers keep
    const writers = (await record.writers()).map((k) => b4a.toString(k, 'hex')).join(',')
    const mirrored = writers + '/' + (this._ctx.config.config.blindPeer ?? '')
    if (mirrored !== this._mirrored) {
      this._mirrored = mirrored
      this._mirror()
    }
  }

  private _local(): LocalSide {
    const ctx = this._ctx
    const identity = {
      publicKey: ctx.profile.publicKey,
      keyPair: ctx.profile.holdsIdentity ? ctx.profile.identity().keyPair : null
    }
    return {
      notes: ctx.recordNotes,
      identity: () => identity,
      name: () => ctx.profile.name,
      setName: async (name) => {
        await ctx.profile.setName(validateName(name, 'Name')).catch(() => {})
      },
      blindPeer: () => ctx.config.config.blindPeer,
      setBlindPeer: async (key) => {
        await ctx.config.update({ blindPeer: key })
        this._mirror()
      },
      entries: () => ctx.registry.entries,
      running: (id) => {
        const joined = ctx.rooms.get(id)
        if (joined === undefined || joined.room.failure !== null) return null
        joined.keyring.onOpened ??= () => this._syncSoon()
        return { room: joined.room, keyring: joined.keyring }
      },
      adoptRoom: (room) => this._adoptRoom(room),
      dropRoom: async (id) => {
        if (ctx.closing) return
        const joined = ctx.rooms.get(id)
        if (joined !== undefined) await this._rooms.forgetRoom(joined)
        else await ctx.registry.delete(id)
      },
      adoptSettings: async (id, settings) => {
        const joined = ctx.rooms.get(id)
        const entry = ctx.registry.get(id)
        if (entry === null) return
        const next: RoomEntry = { ...entry, ...settings }
        await ctx.registry.put(next)
        if (joined !== undefined) joined.entry = next
        ctx.events.emit('onDidChangeRooms', { room: id })
      },
      adoptRead: (id, message) => {
        const joined = ctx.rooms.get(id)
        if (joined === undefined) return
        ctx.setLastRead(joined, message)
        ctx.events.emit('onDidChangeRooms', { room: id })
      },
      learned: (id) => ctx.events.emit('onDidReorderMessages', { room: id })
    }
  }

  /**
   * Rooms the person is a member of where this device cannot write yet and nobody may be online
   * to add it (restored from the phrase, or linked from a device that could not write there):
   * it adds its own writer with an optimistic block the identity's binding vouches for. Once a
   * room each run; a block that is not taken costs the room nothing.
   */
  private async _claimWriters(): Promise<void> {
    const ctx = this._ctx
    for (const joined of ctx.runningRooms()) {
      const room = joined.room
      if (room.writable || this._claimed.has(joined.id) || this._closing) continue
      const me = await room.member(ctx.profile.publicKey)
      const boxKey = room.writerKeyPair?.publicKey
      if (me === null || me.removed || boxKey === undefined) continue
      this._claimed.add(joined.id)
      const binding = bindWriter(
        room.discoveryKey,
        room.writerKey,
        ctx.profile.device,
        ctx.profile.proof
      )
      await room
        .appendOptimistic({
          name: '@roost/device-add',
          value: { writer: room.writerKey, boxKey, binding, timestamp: Date.now() }
        })
        .catch(() => this._claimed.delete(joined.id))
    }
  }

  /** A room another device of the person is in: opened here with its own writer-to-be. */
  private async _adoptRoom(r: RecordRoom): Promise<void> {
    const ctx = this._ctx
    if (this._closing || ctx.closing || this._unopenable.has(r.room)) return
    const entry: RoomEntry = {
      key: r.room,
      encryptionKey: r.encryptionKey,
      namespace: b4a.toString(crypto.randomBytes(32), 'hex'),
      joinedAt: r.joinedAt,
      lastRead: null,
      ...(r.notify === undefined ? {} : { notify: r.notify }),
      ...(r.autoDownload === undefined ? {} : { autoDownload: r.autoDownload })
    }
    await ctx.registry.put(entry)
    try {
      await this._rooms.openRoom(entry)
    } catch {
      this._unopenable.add(r.room)
      await ctx.registry.delete(r.room)
      return
    }
    ctx.events.emit('onDidChangeRooms', { room: r.room })
    // its epoch keys are taken on the next pass, now that it runs
    this._sync.request()
  }
}

/** Whether the record changed within `ms`. */
function nextUpdate(record: PersonalRecord, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      record.off('update', onUpdate)
      resolve(false)
    }, ms)
    const onUpdate = (): void => {
      clearTimeout(timer)
      resolve(true)
    }
    record.once('update', onUpdate)
  })
}
