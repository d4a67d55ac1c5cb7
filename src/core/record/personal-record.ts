import { EventEmitter } from 'events'
import Autobase from 'autobase'
import b4a from 'b4a'
import Hyperbee from 'hyperbee'
import type Corestore from 'corestore'
import type WakeupSwarm from 'protomux-wakeup'
import { verifyWriterBinding, type KeyPair } from '../identity/identity-key.js'
import { decodeRecordOp, encodeRecordOp, type NotifyLevel, type RecordOp } from './record-ops.js'

/** As in a room: the library default (10 s) makes a change take ~15 s to settle. */
const ACK_INTERVAL_MS = 100

export interface RecordRoom {
  room: string
  encryptionKey: string
  joinedAt: number
  left: boolean
  leftAt?: number
  notify?: NotifyLevel
  autoDownload?: boolean
}

export interface RecordRead {
  id: string
  seq: number
}

export interface RecordOptions {
  key: Buffer
  encryptionKey: Buffer
  /** The identity whose devices may write (the profile's public key). */
  identity: Buffer
  /** The first writer's key pair, on the one device that writes the record's first core. */
  signer: KeyPair | null
  wakeup?: WakeupSwarm
}

type View = Hyperbee<string, unknown>

interface ApplyNode {
  value: Buffer | null
  from: { key: Buffer }
  optimistic?: boolean
}

interface Host {
  addWriter(key: Buffer, opts: { indexer: boolean }): Promise<void>
  ackWriter(key: Buffer): Promise<void>
  removeWriter(key: Buffer): Promise<void>
  removeable(key: Buffer): boolean
}

/** A writer of the record, as its binding says: which device, of which proof epoch. */
interface RecordWriter {
  device: string
  epoch: number
  revoked?: boolean
}

/**
 * The person's own record: a small encrypted Autobase of their devices' writers with a Hyperbee
 * view, holding what a person (not a device) has — the rooms they are in with their keys, those
 * rooms' epoch keys, per-room settings, read positions, their name and blind peer. A device
 * adds its own writer with an optimistic block carrying the identity's binding, so a device
 * restored from the phrase needs nobody else online. Emits 'update' when the view changes.
 */
export class PersonalRecord extends EventEmitter {
  readonly base: Autobase<View>
  private _identity: Buffer

  constructor(store: Corestore, opts: RecordOptions) {
    super()
    this._identity = opts.identity
    this.base = new Autobase<View>(store, opts.key, {
      encryptionKey: opts.encryptionKey,
      ...(opts.signer === null ? {} : { keyPair: opts.signer }),
      optimistic: true,
      ackInterval: ACK_INTERVAL_MS,
      wakeup: opts.wakeup,
      open: (viewStore) =>
        new Hyperbee(viewStore.get('view'), {
          keyEncoding: 'utf-8',
          valueEncoding: 'json',
          extension: false
        }),
      apply: (nodes, view, host) => this._apply(nodes as ApplyNode[], view, host as Host),
      close: (view) => view.close()
    })
    this.base.on('update', () => this.emit('update'))
    this.base.on('error', (err: Error) => this.emit('warning', err))
  }

  get key(): Buffer {
    return this.base.key
  }

  get discoveryKey(): Buffer {
    return this.base.discoveryKey
  }

  get writable(): boolean {
    return this.base.writable
  }

  /** This device's writer core key. */
  get writerKey(): Buffer {
    return this.base.local.key
  }

  /** The key pair our writer signs with (manifests for blind peers). */
  get writerKeyPair(): KeyPair {
    return (this.base.local as unknown as { keyPair: KeyPair }).keyPair
  }

  ready(): Promise<void> {
    return this.base.ready()
  }

  close(): Promise<void> {
    return this.base.close()
  }

  async append(ops: RecordOp[]): Promise<void> {
    if (ops.length === 0) return
    await this.base.append(ops.map(encodeRecordOp))
  }

  /**
   * Adds this device's writer with the identity's binding (optimistically: no other device need
   * be online); the first writer records its binding the same way, as a plain block.
   */
  async addSelf(binding: Buffer): Promise<void> {
    if (this.base.writable && (await this.hasOwnBinding())) return
    const op = encodeRecordOp({ t: 'writer', binding: b4a.toString(binding, 'hex') })
    await this.base.append(op, { optimistic: !this.base.writable })
  }

  async rooms(): Promise<RecordRoom[]> {
    return this._values<RecordRoom>('room/')
  }

  async reads(): Promise<Map<string, RecordRead>> {
    const reads = new Map<string, RecordRead>()
    for await (const { key, value } of this.base.view.createReadStream(range('read/'))) {
      reads.set(key.slice('read/'.length), value as RecordRead)
    }
    return reads
  }

  /** The epoch keys kept for `room`, sealed to the identity: id (hex) → box (hex). */
  async epochs(room: string): Promise<Map<string, string>> {
    const prefix = `epoch/${room}/`
    const keys = new Map<string, string>()
    for await (const { key, value } of this.base.view.createReadStream(range(prefix))) {
      keys.set(key.slice(prefix.length), (value as { box: string }).box)
    }
    return keys
  }

  /** Whether this device's own writer entry is in the view (its binding was taken). */
  async hasOwnBinding(): Promise<boolean> {
    return (await this.base.view.get(`writer/${b4a.toString(this.writerKey, 'hex')}`)) !== null
  }

  async name(): Promise<string | null> {
    const node = await this.base.view.get('profile')
    return node === null ? null : (node.value as { name: string }).name
  }

  async blindPeer(): Promise<string | null | undefined> {
    const node = await this.base.view.get('config')
    return node === null ? undefined : (node.value as { blindPeer: string | null }).blindPeer
  }

  /** Writer core keys of the person's devices, the first writer's included. */
  async writers(): Promise<Buffer[]> {
    const keys = [this.base.key]
    for await (const { key, value } of this.base.view.createReadStream(range('writer/'))) {
      const writer = b4a.from(key.slice('writer/'.length), 'hex')
      if ((value as RecordWriter).revoked === true) continue
      if (!b4a.equals(writer, this.base.key)) keys.push(writer)
    }
    return keys
  }

  private async _values<T>(prefix: string): Promise<T[]> {
    const values: T[] = []
    for await (const { value } of this.base.view.createReadStream(range(prefix))) {
      values.push(value as T)
    }
    return values
  }

  /** The security boundary of the record: anything that does not fit is skipped, never thrown. */
  private async _apply(nodes: ApplyNode[], view: View, host: Host): Promise<void> {
    const batch = view.batch({ update: false })
    for (const node of nodes) {
      if (node.value === null) continue
      const op = decodeRecordOp(node.value)
      if (op === null) continue
      const writerKey = `writer/${b4a.toString(node.from.key, 'hex')}`
      if (op.t === 'writer') {
        const vouched = this._vouched(op.binding, node.from.key)
        if (vouched === null || (await this._isRevoked(batch, vouched.device))) continue
        await batch.put(writerKey, vouched)
        if (node.optimistic === true) {
          await host.addWriter(node.from.key, { indexer: false })
          await host.ackWriter(node.from.key) // last: autobase keeps an acked block only
        }
        continue
      }
      // an optimistic block is from a core no device has added: only its own binding counts
      if (node.optimistic === true) continue
      if (op.t === 'revoke') {
        await this._revoke(batch, host, node.from.key, op.device)
        continue
      }
      await applyOp(batch, op)
    }
    await batch.flush()
  }

  /**
   * A device unlinked from another: as in rooms, only devices whose proof is no newer than the
   * author's, never itself, so a stolen laptop cannot lock out the device restored from the
   * phrase. The first writer (no binding of its own yet) may revoke any other device.
   */
  private async _revoke(batch: Batch, host: Host, author: Buffer, device: string): Promise<void> {
    const own = await getValue<RecordWriter>(batch, `writer/${b4a.toString(author, 'hex')}`)
    if (own?.device === device) return
    const targets: Array<{ key: string; value: RecordWriter }> = []
    for await (const { key, value } of batch.createReadStream(range('writer/'))) {
      const w = value as RecordWriter
      if (w.device === device && w.revoked !== true) targets.push({ key, value: w })
    }
    if (own !== null && targets.some((t) => t.value.epoch > own.epoch)) return
    for (const t of targets) {
      const key = b4a.from(t.key.slice('writer/'.length), 'hex')
      if (b4a.equals(key, this.base.key) || !host.removeable(key)) return
    }
    await batch.put(`revoked/${device}`, { at: 0 })
    for (const t of targets) {
      await batch.put(t.key, { ...t.value, revoked: true })
      await host.removeWriter(b4a.from(t.key.slice('writer/'.length), 'hex'))
    }
  }

  private async _isRevoked(batch: Batch, device: string): Promise<boolean> {
    return (await batch.get(`revoked/${device}`)) !== null
  }

  private _vouched(bindingHex: string, writer: Buffer): RecordWriter | null {
    const vouched = verifyWriterBinding(
      b4a.from(bindingHex, 'hex'),
      this.base.discoveryKey,
      writer,
      {
        identity: this._identity
      }
    )
    return vouched === null
      ? null
      : { device: b4a.toString(vouched.device, 'hex'), epoch: vouched.epoch }
  }
}

type Batch = ReturnType<View['batch']>

async function applyOp(batch: Batch, op: RecordOp): Promise<void> {
  switch (op.t) {
    case 'writer':
    case 'revoke':
      return // taken in _apply
    case 'room': {
      const current = await getValue<RecordRoom>(batch, `room/${op.room}`)
      // joining again after leaving keeps the settings
      const room: RecordRoom = {
        ...(current ?? {}),
        room: op.room,
        encryptionKey: op.encryptionKey,
        joinedAt: op.joinedAt,
        left: false
      }
      delete room.leftAt
      return batch.put(`room/${op.room}`, room)
    }
    case 'leave': {
      const current = await getValue<RecordRoom>(batch, `room/${op.room}`)
      if (current === null || current.joinedAt > op.at) return
      return batch.put(`room/${op.room}`, { ...current, left: true, leftAt: op.at })
    }
    case 'settings': {
      const current = await getValue<RecordRoom>(batch, `room/${op.room}`)
      if (current === null) return
      const next: RecordRoom = { ...current }
      if (op.notify !== undefined) next.notify = op.notify
      if (op.autoDownload !== undefined) next.autoDownload = op.autoDownload
      return batch.put(`room/${op.room}`, next)
    }
    case 'read': {
      const current = await getValue<RecordRead>(batch, `read/${op.room}`)
      if (current !== null && current.seq >= op.seq) return
      return batch.put(`read/${op.room}`, { id: op.id, seq: op.seq })
    }
    case 'name':
      return batch.put('profile', { name: op.name })
    case 'epoch':
      return batch.put(`epoch/${op.room}/${op.id}`, { box: op.box })
    case 'config':
      return batch.put('config', { blindPeer: op.blindPeer })
    default: {
      const never: never = op
      return never
    }
  }
}

async function getValue<T>(batch: Batch, key: string): Promise<T | null> {
  const node = await batch.get(key)
  return node === null ? null : (node.value as T)
}

function range(prefix: string): { gte: string; lt: string } {
  return { gte: prefix, lt: prefix + '\uffff' }
}
