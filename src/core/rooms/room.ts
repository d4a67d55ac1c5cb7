import { EventEmitter } from 'events'
import Autobase from 'autobase'
import HyperDB from 'hyperdb'
import type Corestore from 'corestore'
import type Hypercore from 'hypercore'
import type { SwarmConnection } from 'hyperswarm'
import dbSpec from './spec/db/index.js'
import { RoomApplier } from './apply.js'
import {
  encodeOp,
  type OpName,
  type OpValues,
  type StoredEpoch,
  type StoredEpochBox,
  type StoredInfo,
  type StoredInvite,
  type StoredMember,
  type StoredMessage,
  type StoredMirror,
  type StoredWriter
} from './ops.js'

/** How often a view read is tried again while autobase moves the view on (see _read). */
const VIEW_READ_ATTEMPTS = 20
const VIEW_RETRY_MS = 50

/** Converges in ~0.15 s; the library default (10 s) makes rooms take ~15 s to settle. */
const ACK_INTERVAL_MS = 100

/**
 * Autobase applies a whole backlog in one drain and emits 'update' only at its end (10,000
 * messages: over a minute with no event). Past this much applying in one drain, the drain is
 * cut (pause, then resume once it has returned) so the view, its events and the message count
 * move while the rest is applied.
 */
const PROGRESS_EVERY_MS = 250

/** autobase 7.28.1's own threshold: fast-forward only when the signed system is this far ahead. */
const FAST_FORWARD_MIN_BLOCKS = 16

/** The internals of autobase 7.28.1 the catch-up workarounds read (see _retryFastForward). */
interface AutobaseInternals {
  fastForwardFailedAt: number
  _advancing: Promise<void> | null
  isFastForwarding(): boolean
  forceFastForward(): Promise<void>
  pause(): void
  resume(): void
  core: Hypercore & { opened: boolean; core: { state: { length: number } } }
}

export interface RoomOptions {
  key: Buffer | null
  encryptionKey: Buffer | null
}

/**
 * One chat room: an encrypted Autobase of the members' writer cores with a HyperDB view.
 * Emits 'update' when the view changes, 'sent' when a remote peer acknowledges more of our
 * writer core, 'peers' when a peer starts or stops replicating the room, and 'local-writer' when
 * Autobase replaces our writer session (a joiner becoming writable).
 */
export class Room extends EventEmitter {
  readonly base: Autobase<HyperDB>
  readonly applier: RoomApplier
  private _onSentChange: () => void
  private _onPeersChange: () => void
  private _watchedLocal: Hypercore | null
  private _lastSent: number
  /** How often autobase fast-forwarded this room since it opened (diagnostics, tests). */
  fastForwards: number
  /** How often Roost asked autobase again to fast-forward after a failed attempt. */
  fastForwardRetries: number
  /** When the current drain started applying (0: not applying since the last update). */
  private _applyingSince: number
  private _cutting: boolean
  private _retrying: boolean
  private _onSystemProgress: () => void

  constructor(store: Corestore, opts: RoomOptions) {
    super()
    this.applier = new RoomApplier(() => this.base.key)
    this.base = new Autobase<HyperDB>(store, opts.key, {
      encrypt: opts.encryptionKey === null,
      encryptionKey: opts.encryptionKey,
      ackInterval: ACK_INTERVAL_MS,
      open: (viewStore) =>
        HyperDB.bee(viewStore.get('view'), dbSpec, { extension: false, autoUpdate: true }),
      apply: async (nodes, view, host) => {
        await this.applier.apply(nodes, view, host)
        this._cutLongDrain()
      },
      close: (view) => view.close()
    })
    this._watchedLocal = null
    this._lastSent = 0
    this.fastForwards = 0
    this.fastForwardRetries = 0
    this._applyingSince = 0
    this._cutting = false
    this._retrying = false
    this._onSystemProgress = () => this._retryFastForward()
    this.base.on('fast-forward', () => this.fastForwards++)
    this._onSentChange = () => {
      const sent = this.sentLength
      if (sent === this._lastSent) return
      this._lastSent = sent
      this.emit('sent', sent)
    }
    this._onPeersChange = () => this.emit('peers')
    this.base.on('update', () => {
      this._applyingSince = 0
      this._retryFastForward()
      this._watchLocal()
      this._onSentChange()
      this.emit('update')
    })
    // an error here would close the base for good; apply() never throws, so this is storage trouble
    this.base.on('error', (err: Error) => this.emit('warning', err))
  }

  async ready(): Promise<void> {
    await this.base.ready()
    this._lastSent = this.sentLength
    this._watchLocal()
    for (const core of [this.base.core, this.base.local]) {
      core.on('peer-add', this._onPeersChange)
      core.on('peer-remove', this._onPeersChange)
    }
    // a peer that holds more of the signed system may make a failed fast-forward possible now
    const system = this.base.core
    system.on('peer-add', this._onSystemProgress)
    system.on('append', this._onSystemProgress)
    system.on('remote-contiguous-length', this._onSystemProgress)
  }

  private get _internals(): AutobaseInternals {
    return this.base as unknown as AutobaseInternals
  }

  /**
   * Called after each apply: once this drain has applied for PROGRESS_EVERY_MS, pause the base
   * so autobase ends the drain and emits 'update' with what is applied so far, and resume it
   * once that advance has returned. Work-around; upstream would emit progress (or yield) inside
   * a long drain itself.
   */
  private _cutLongDrain(): void {
    const now = Date.now()
    if (this._applyingSince === 0) this._applyingSince = now
    if (this._cutting || now - this._applyingSince < PROGRESS_EVERY_MS) return
    const base = this._internals
    this._cutting = true
    base.pause()
    const advancing = base._advancing ?? Promise.resolve()
    const resume = (): void => {
      this._cutting = false
      this._applyingSince = 0
      if (this.base.closing === null) base.resume()
    }
    advancing.then(
      () => setImmediate(resume),
      () => setImmediate(resume)
    )
  }

  /**
   * autobase 7.28.1 waits 5 minutes after a failed fast-forward (one tip block not fetched in
   * 5 s: a blind peer that never got it from a writer who went offline) and meanwhile applies
   * everything itself. When a peer now holds the whole signed system, ask again at once.
   * Upstream would retry a failed fast-forward when a peer with the missing blocks shows up,
   * and fall back to a shorter signed length it can fetch.
   */
  private _retryFastForward(): void {
    const base = this._internals
    if (this._retrying || base.fastForwardFailedAt === 0 || this.base.closing !== null) return
    if (base.isFastForwarding()) return
    const system = base.core
    if (!system.opened) return
    const signed = system.core.state.length
    if (signed - system.length < FAST_FORWARD_MIN_BLOCKS) return
    if (!system.peers.some((peer) => peer.remoteContiguousLength >= signed)) return
    this._retrying = true
    this.fastForwardRetries++
    base
      .forceFastForward()
      .catch(() => {})
      .finally(() => {
        this._retrying = false
      })
  }

  async close(): Promise<void> {
    const system = this.base.core as Hypercore | null
    system?.off('peer-add', this._onSystemProgress)
    system?.off('append', this._onSystemProgress)
    system?.off('remote-contiguous-length', this._onSystemProgress)
    await this.base.close()
  }

  /** Autobase swaps its local writer session when a joiner becomes writable: follow it. */
  private _watchLocal(): void {
    const local = this.base.local
    if (local === this._watchedLocal) return
    const previous = this._watchedLocal
    previous?.off('remote-contiguous-length', this._onSentChange)
    local.on('remote-contiguous-length', this._onSentChange)
    this._watchedLocal = local
    if (previous !== null) this.emit('local-writer')
  }

  get key(): Buffer {
    return this.base.key
  }
  get discoveryKey(): Buffer {
    return this.base.discoveryKey
  }
  get encryptionKey(): Buffer {
    return this.base.encryptionKey
  }
  get writerKey(): Buffer {
    return this.base.local.key
  }
  get writable(): boolean {
    return this.base.writable
  }
  get view(): HyperDB {
    return this.base.view
  }

  /** How much of our writer core some remote peer has (blocks below it are 'sent'). */
  get sentLength(): number {
    return this.base.local.remoteContiguousLength
  }

  /** The distinct connections replicating this room. */
  get connections(): SwarmConnection[] {
    const byKey = new Map<string, SwarmConnection>()
    for (const core of [this.base.core, this.base.local]) {
      for (const peer of core.peers) byKey.set(peer.remotePublicKey.toString('hex'), peer.stream)
    }
    return [...byKey.values()]
  }

  /** Appends ops in one batch; returns our writer core's length after it (the last op's seq + 1). */
  async append(
    ops: Array<{ [K in OpName]: { name: K; value: OpValues[K] } }[OpName]>
  ): Promise<number> {
    return this.base.append(ops.map((op) => encodeOp(op.name, op.value)))
  }

  /**
   * Whether the first `length` blocks of our writer core are indexed: confirmed by a quorum of the
   * indexers, so their place in the order, and what apply made of them, is final.
   */
  async isIndexed(length: number): Promise<boolean> {
    const system = this.base.system as Autobase['system'] | null
    // null while autobase reboots its apply state (an indexer change): the next update re-checks
    if (system === null) return false
    const checkout = await system.checkout(this.base.indexedLength)
    try {
      const info = await checkout.get(this.base.local.key)
      return info !== null && info.length >= length
    } finally {
      await checkout.close()
    }
  }

  /** Resolves once isIndexed(length); rejects when the signal aborts. */
  waitIndexed(length: number, signal: AbortSignal): Promise<void> {
    return this._waitFor(() => this.isIndexed(length), signal)
  }

  /** Resolves once a remote peer holds our first `length` blocks; rejects when the signal aborts. */
  waitSent(length: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.sentLength < length) return
        cleanup()
        resolve()
      }
      const abort = (): void => {
        cleanup()
        reject(signal.reason)
      }
      const cleanup = (): void => {
        this.off('sent', check)
        signal.removeEventListener('abort', abort)
      }
      if (signal.aborted) return abort()
      this.on('sent', check)
      signal.addEventListener('abort', abort)
      check()
    })
  }

  waitWritable(signal: AbortSignal): Promise<void> {
    return this._waitFor(() => this.base.writable, signal)
  }

  /** Re-checks `ready` after every base update until it holds. */
  private _waitFor(ready: () => boolean | Promise<boolean>, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      let checking = false
      let again = false
      const check = async (): Promise<void> => {
        if (checking) {
          again = true
          return
        }
        checking = true
        try {
          do {
            again = false
            if (await ready()) {
              cleanup()
              resolve()
              return
            }
          } while (again)
        } catch (err) {
          cleanup()
          reject(err as Error)
        } finally {
          checking = false
        }
      }
      const onUpdate = (): void => void check()
      const abort = (): void => {
        cleanup()
        reject(signal.reason)
      }
      const cleanup = (): void => {
        this.base.off('update', onUpdate)
        signal.removeEventListener('abort', abort)
      }
      if (signal.aborted) return abort()
      this.base.on('update', onUpdate)
      signal.addEventListener('abort', abort)
      void check()
    })
  }

  async info(): Promise<StoredInfo | null> {
    return this._get<StoredInfo>('@roost/info', { key: 'room' })
  }

  async messageCount(): Promise<number> {
    return this._counter('messages')
  }

  /** Grows with every applied op other than a message: members, roles, info, invites. */
  async rosterVersion(): Promise<number> {
    return this._counter('roster')
  }

  private async _counter(name: string): Promise<number> {
    const counter = await this._get<{ value: number }>('@roost/counters', { name })
    return counter === null ? 0 : counter.value
  }

  async memberCount(): Promise<number> {
    const members = await this.members()
    return members.filter((m) => !m.removed).length
  }

  async members(): Promise<StoredMember[]> {
    return this._find<StoredMember>('@roost/members', {})
  }

  async member(profile: Buffer): Promise<StoredMember | null> {
    return this._get<StoredMember>('@roost/members', { profile })
  }

  async writer(key: Buffer): Promise<StoredWriter | null> {
    return this._get<StoredWriter>('@roost/writers', { key })
  }

  async messageById(id: string): Promise<StoredMessage | null> {
    return this._get<StoredMessage>('@roost/messages-by-id', { id })
  }

  /** Up to `limit` messages before `beforeSeq` (or the newest), oldest first. */
  async messagesBefore(
    beforeSeq: number | null,
    limit: number
  ): Promise<{ messages: StoredMessage[]; hasMore: boolean }> {
    const range = beforeSeq === null ? {} : { lt: { seq: beforeSeq } }
    const newestFirst = await this._find<StoredMessage>('@roost/messages', range, {
      reverse: true,
      limit: limit + 1
    })
    const hasMore = newestFirst.length > limit
    return { messages: newestFirst.slice(0, limit).reverse(), hasMore }
  }

  async invites(): Promise<StoredInvite[]> {
    return this._find<StoredInvite>('@roost/invites', {})
  }

  /** Blind peers that keep this room's cores (active ones only). */
  async mirrors(): Promise<StoredMirror[]> {
    const all = await this._find<StoredMirror>('@roost/mirrors', {})
    return all.filter((m) => !m.removed)
  }

  async invite(id: Buffer): Promise<StoredInvite | null> {
    return this._get<StoredInvite>('@roost/invites', { id })
  }

  /** Our writer core's key pair: epoch keys are sealed to it. */
  get writerKeyPair(): { publicKey: Buffer; secretKey: Buffer } | null {
    const pair = this.base.local.keyPair
    return pair === null || pair.secretKey === null
      ? null
      : { publicKey: pair.publicKey, secretKey: pair.secretKey }
  }

  async epoch(id: Buffer): Promise<StoredEpoch | null> {
    return this._get<StoredEpoch>('@roost/epochs', { id })
  }

  /** The epochs, oldest first. */
  async epochs(): Promise<StoredEpoch[]> {
    return this._find<StoredEpoch>('@roost/epochs-by-index', {})
  }

  /** The epoch new messages are sealed with: the newest in the view's order. */
  async currentEpoch(): Promise<StoredEpoch | null> {
    const [newest] = await this._find<StoredEpoch>(
      '@roost/epochs-by-index',
      {},
      { reverse: true, limit: 1 }
    )
    return newest ?? null
  }

  /** The epoch keys sealed to one writer. */
  async epochBoxesOf(writer: Buffer): Promise<StoredEpochBox[]> {
    return this._find<StoredEpochBox>('@roost/epoch-boxes', { gte: { writer }, lte: { writer } })
  }

  /** The writers an epoch's key was sealed to. */
  async epochBoxWriters(epoch: Buffer): Promise<Buffer[]> {
    const boxes = await this._find<StoredEpochBox>('@roost/epoch-boxes-by-epoch', {
      gte: { epoch },
      lte: { epoch }
    })
    return boxes.map((b) => b.writer)
  }

  /**
   * A view read that autobase may move the view on under (a reboot, a fork, a reordered
   * batch): SESSION_CLOSED there is not an answer, so read again after the next update.
   */
  private async _read<T>(read: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await read()
      } catch (err) {
        const moved = (err as { code?: unknown }).code === 'SESSION_CLOSED'
        if (!moved || attempt >= VIEW_READ_ATTEMPTS || this.base.closing !== null) throw err
      }
      await this._nextUpdate()
    }
  }

  private _get<T>(collection: string, key: Record<string, unknown>): Promise<T | null> {
    return this._read(() => this.view.get<T>(collection, key))
  }

  private _find<T>(
    collection: string,
    range: Record<string, unknown> = {},
    options?: { reverse?: boolean; limit?: number }
  ): Promise<T[]> {
    return this._read(() => this.view.find<T>(collection, range, options).toArray())
  }

  /** The next update of the base, or VIEW_RETRY_MS when none comes. */
  private _nextUpdate(): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        this.base.off('update', done)
        resolve()
      }
      const timer = setTimeout(done, VIEW_RETRY_MS)
      this.base.on('update', done)
    })
  }

  async writers(): Promise<StoredWriter[]> {
    return this._find<StoredWriter>('@roost/writers', {})
  }
}
