import { EventEmitter } from 'events'
import Autobase from 'autobase'
import HyperDB from 'hyperdb'
import type WakeupSwarm from 'protomux-wakeup'
import type Corestore from 'corestore'
import type Hypercore from 'hypercore'
import type { SwarmConnection } from 'hyperswarm'
import dbSpec from './spec/db/index.js'
import { RoomApplier } from './apply.js'
import { CatchUpDriver } from './catch-up-driver.js'
import { ConversationView } from './conversation-view.js'
import { shareSnapshotCaches } from './view-tree-cache.js'
import { VIEW_NAME, ViewReorders } from './view-reorders.js'
import { WakeupNudge } from './wakeup-nudge.js'
import {
  encodeOp,
  type OpName,
  type OpValues,
  type StoredEpoch,
  type StoredEpochBox,
  type StoredFileEntry,
  type StoredInfo,
  type StoredInvite,
  type StoredMember,
  type StoredMessage,
  type StoredMirror,
  type StoredRosterChange,
  type StoredRevokedDevice,
  type StoredWriter
} from './ops.js'

/** How often a view read is tried again while autobase moves the view on (see _read). */
const VIEW_READ_ATTEMPTS = 20
const VIEW_RETRY_MS = 50

/** Converges in ~0.15 s; the library default (10 s) makes rooms take ~15 s to settle. */
const ACK_INTERVAL_MS = 100

export interface RoomOptions {
  key: Buffer | null
  encryptionKey: Buffer | null
  /** The core's one wakeup swarm, fed every connection (without it no peer hears the room's). */
  wakeup?: WakeupSwarm
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
  /** Events while a backlog applies; a failed fast-forward asked again. */
  readonly catchUp: CatchUpDriver
  /** Whether an update rewrote the view below where it began (the room then emits 'reorder'). */
  readonly reorders: ViewReorders
  /** Our unordered writers announced again when the indexers seem not to have heard. */
  readonly wakeupNudge: WakeupNudge
  /** The error that stopped the room's base (autobase then closes it for good); null while open. */
  failure: unknown
  /** Changes to messages (edits, deletes, reactions, pins), and the pins. */
  readonly conversation: ConversationView

  constructor(store: Corestore, opts: RoomOptions) {
    super()
    this.applier = new RoomApplier(() => this.base.key)
    this.base = new Autobase<HyperDB>(store, opts.key, {
      encrypt: opts.encryptionKey === null,
      encryptionKey: opts.encryptionKey,
      ackInterval: ACK_INTERVAL_MS,
      // a device restored from the phrase adds its own writer (apply-devices.ts applySelfAdd)
      optimistic: true,
      wakeup: opts.wakeup,
      open: (viewStore) =>
        shareSnapshotCaches(
          HyperDB.bee(viewStore.get(VIEW_NAME), dbSpec, { extension: false, autoUpdate: true })
        ),
      apply: async (nodes, view, host) => {
        await this.applier.apply(nodes, view, host)
        this.catchUp.afterApply()
      },
      update: (_view, changes) => this.reorders.noteChanges(changes),
      close: (view) => view.close()
    })
    this._watchedLocal = null
    this._lastSent = 0
    this.fastForwards = 0
    this.failure = null
    this.conversation = new ConversationView(
      (collection, range, options) => this._find(collection, range, options),
      (collection, key) => this._get(collection, key)
    )
    this.catchUp = new CatchUpDriver(this.base as Autobase<unknown>)
    this.reorders = new ViewReorders()
    this.wakeupNudge = new WakeupNudge(this.base as Autobase<unknown>)
    this.base.on('fast-forward', () => {
      this.fastForwards++
      this.reorders.noteFastForward()
    })
    this._onSentChange = () => {
      const sent = this.sentLength
      if (sent === this._lastSent) return
      this._lastSent = sent
      this.emit('sent', sent)
    }
    this._onPeersChange = () => this.emit('peers')
    this.base.on('update', () => {
      this.catchUp.onUpdate()
      this._watchLocal()
      this._onSentChange()
      if (this.reorders.take()) this.emit('reorder')
      this.emit('update')
    })
    // an error here closes the base for good; apply() never throws, so this is storage trouble
    this.base.on('error', (err: Error) => {
      this.failure ??= err
      this.emit('warning', err)
    })
    this.base.on('warning', (err: unknown) => this.catchUp.onWarning(err))
  }

  async ready(): Promise<void> {
    await this.base.ready()
    this._lastSent = this.sentLength
    this._watchLocal()
    for (const core of [this.base.core, this.base.local]) {
      core.on('peer-add', this._onPeersChange)
      core.on('peer-remove', this._onPeersChange)
    }
    this.catchUp.attach()
    this.wakeupNudge.attach()
  }

  async close(): Promise<void> {
    this.catchUp.detach()
    this.wakeupNudge.detach()
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
   * Appends one op from a core that is no writer yet: kept only if apply acks it (a device
   * adding itself, apply-devices.ts applySelfAdd).
   */
  async appendOptimistic(
    op: { [K in OpName]: { name: K; value: OpValues[K] } }[OpName]
  ): Promise<void> {
    await this.base.append(encodeOp(op.name, op.value), { optimistic: true })
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

  /** The devices a profile unlinked in this room. */
  async revokedDevices(profile: Buffer): Promise<StoredRevokedDevice[]> {
    return this._find<StoredRevokedDevice>('@roost/revoked-devices', {
      gte: { profile },
      lte: { profile }
    })
  }

  async messageById(id: string): Promise<StoredMessage | null> {
    return this._get<StoredMessage>('@roost/messages-by-id', { id })
  }

  /** The newest `limit` messages that carry a file, newest first. */
  async fileMessages(limit: number): Promise<StoredMessage[]> {
    const entries = await this._find<StoredFileEntry>('@roost/files', {}, { reverse: true, limit })
    const messages = await Promise.all(
      entries.map((e) => this._get<StoredMessage>('@roost/messages', { seq: e.seq }))
    )
    return messages.filter((m): m is StoredMessage => m !== null)
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

  /** The newest `limit` roster changes placed at or after message `fromPosition`, oldest first. */
  async rosterChanges(fromPosition: number, limit: number): Promise<StoredRosterChange[]> {
    const newestFirst = await this._find<StoredRosterChange>(
      '@roost/roster-changes',
      { gte: { position: fromPosition } },
      { reverse: true, limit }
    )
    return newestFirst.reverse()
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
