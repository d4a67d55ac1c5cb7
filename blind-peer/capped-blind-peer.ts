import b4a from 'b4a'
import type { SwarmConnection } from 'hyperswarm'
import {
  BlindPeerBase,
  type AddCoreRecord,
  type AddCoresRequest,
  type CoreSession,
  type CoreState
} from './blind-peer-base.js'
import { retryable, type CorePolicy, type RefusalReason } from './core-policy.js'
import { discoveryId as discoveryHex } from './manifest-store.js'

/** Refused cores kept per connection, to take once a newer manifest lists them. */
const MAX_PENDING_PER_CONNECTION = 256

export interface RefusedCores {
  peer: Buffer
  referrer: Buffer | null
  reason: RefusalReason
  keys: Buffer[]
}

export interface HeldCore {
  key: Buffer
  length: number
  reason: RefusalReason
}

interface Pending {
  key: Buffer
  length: number
  referrer: Buffer
}

/**
 * blind-peer that keeps only what rooms registered (CorePolicy) and stops cores from growing
 * past a limit. A held core asks for no newer length (hypercore's `eagerUpgrade` off; nothing in
 * blind-peer calls update()), so it stays at its length, still fetches the blocks below it
 * (already counted: a core's bytes are its byteLength) and serves them. blind-peer's own answer
 * to a cap is to garbage-collect old cores, which would lose rooms' history, so its GC is off.
 *
 * Emits 'refused' (RefusedCores), 'held' (HeldCore) when a core stops growing, 'released'
 * (key) when it may grow again, and 'behind' (HeldCore & { remote }) when a held core's
 * peer has more than it keeps.
 */
export class CappedBlindPeer extends BlindPeerBase {
  readonly policy: CorePolicy
  /** Cores refused since start. */
  refusedCount: number
  /** Open cores that may not grow, by discovery key (hex). */
  private _held: Map<string, RefusalReason>
  /** What was last said of each core that stopped growing (open or not). */
  private _reported: Map<string, RefusalReason>
  private _pending: Map<SwarmConnection, Map<string, Pending>>

  constructor(rocksDir: string, opts: Record<string, unknown> & { policy: CorePolicy }) {
    super(rocksDir, { ...opts, enableGc: false, maxBytes: Number.MAX_SAFE_INTEGER })
    this.policy = opts.policy
    this.refusedCount = 0
    this._held = new Map()
    this._reported = new Map()
    this._pending = new Map()
    this.policy.manifests.on('change', (room: string) => this._onmanifest(room))
  }

  /** How many cores were stopped from growing (and not released since). */
  get heldCount(): number {
    return this._reported.size
  }

  override async _open(): Promise<void> {
    await super._open()
    for await (const record of this.db.find('@blind-peer/cores', {})) {
      this.policy.ledger.set(discoveryHex(record.key), record.bytesAllocated)
    }
    this._refreshHolds()
  }

  override _oncoreopen(core: CoreState): void {
    super._oncoreopen(core)
    const id = b4a.toString(core.discoveryKey, 'hex')
    const tracker = this.activeReplication.get(id)
    if (tracker === undefined) return
    const session = tracker.core
    const onbytes = (): void => {
      if (this.policy.ledger.set(id, session.byteLength)) this._refreshHolds()
      else this._hold(id, session)
    }
    session.on('append', onbytes)
    session.on('truncate', onbytes)
    session.on('remote-contiguous-length', (remote: number) => {
      const reason = this._held.get(id)
      if (reason !== undefined && remote > session.length) {
        this.emit('behind', { key: session.key, length: session.length, reason, remote })
      }
    })
    session.on('close', () => this._held.delete(id))
    this._hold(id, session)
    session.ready().then(onbytes, () => {}) // the saved count may lag what is on disk
  }

  override async _onaddcores(stream: SwarmConnection, request: AddCoresRequest): Promise<unknown> {
    const admitted = await this._admit(stream, request.referrer, request.cores)
    if (admitted.length === 0) return null
    return super._onaddcores(stream, { ...request, cores: admitted })
  }

  override async _onaddcore(stream: SwarmConnection, record: AddCoreRecord): Promise<unknown> {
    const admitted = await this._admit(stream, record.referrer, [{ key: record.key, length: 0 }])
    if (admitted.length === 0) throw new Error('Refused by this blind peer')
    return super._onaddcore(stream, record)
  }

  private async _admit<T extends { key: Buffer; length: number }>(
    stream: SwarmConnection,
    referrer: Buffer | null,
    cores: T[],
    replay = false
  ): Promise<T[]> {
    const admitted: T[] = []
    const refused = new Map<RefusalReason, Buffer[]>()
    for (const core of cores) {
      const held = (await this.db.getCoreRecord(core.key)) !== null
      const verdict = this.policy.admit(core.key, referrer, stream.remotePublicKey, held)
      if (verdict.ok) {
        admitted.push(core)
        this.policy.ledger.claim(discoveryHex(core.key), verdict.room, hex(stream.remotePublicKey))
        continue
      }
      if (referrer !== null && retryable(verdict.reason)) {
        this._addPending(stream, { key: core.key, length: core.length, referrer })
      }
      refused.set(verdict.reason, [...(refused.get(verdict.reason) ?? []), core.key])
    }
    for (const [reason, keys] of refused) {
      if (replay && retryable(reason)) continue // said when first asked; still pending
      this.refusedCount += keys.length
      this.emit('refused', { peer: stream.remotePublicKey, referrer, reason, keys })
    }
    return admitted
  }

  private _addPending(stream: SwarmConnection, pending: Pending): void {
    let byKey = this._pending.get(stream)
    if (byKey === undefined) {
      byKey = new Map()
      this._pending.set(stream, byKey)
      stream.once('close', () => this._pending.delete(stream))
    }
    if (byKey.size < MAX_PENDING_PER_CONNECTION) byKey.set(hex(pending.key), pending)
  }

  /** A room's manifest changed: retry what its members asked for, and re-check every hold. */
  private _onmanifest(room: string): void {
    this._refreshHolds()
    for (const [stream, byKey] of this._pending) {
      const cores = [...byKey.values()].filter((p) => hex(p.referrer) === room)
      if (cores.length === 0 || stream.destroyed) continue
      for (const core of cores) byKey.delete(hex(core.key))
      const referrer = cores[0].referrer
      void this._replay(stream, referrer, cores)
    }
  }

  private async _replay(stream: SwarmConnection, referrer: Buffer, cores: Pending[]) {
    try {
      const admitted = await this._admit(stream, referrer, cores, true)
      if (admitted.length === 0 || stream.destroyed) return
      const request = { cores: admitted, referrer, priority: 1, announce: false }
      await super._onaddcores(stream, request)
    } catch (err) {
      this.emit('warning', err)
    }
  }

  private _refreshHolds(): void {
    for (const [id, tracker] of this.activeReplication) this._hold(id, tracker.core)
  }

  /** Applies the policy to one open core: stop it growing, or let it grow again. */
  private _hold(id: string, session: CoreSession): void {
    if (session.closing) return
    const reason = this.policy.holdReason(id)
    if (reason !== (this._held.get(id) ?? null)) this._apply(id, session, reason)
    if (reason === (this._reported.get(id) ?? null)) return
    if (reason === null) this._reported.delete(id)
    else this._reported.set(id, reason)
    session.ready().then(
      () => {
        if (reason === null) this.emit('released', session.key)
        else this.emit('held', { key: session.key, length: session.length, reason })
      },
      () => {}
    )
  }

  private _apply(id: string, session: CoreSession, reason: RefusalReason | null): void {
    const replicator = session.core.replicator
    if (reason === null) {
      this._held.delete(id)
      replicator.eagerUpgrade = true
      replicator.queueUpdateAll()
    } else {
      this._held.set(id, reason) // set before any peer is attached when the core just opened
      replicator.eagerUpgrade = false
      // an eager upgrade nobody waits on and not yet sent would still be asked for: drop it
      const pending = replicator._upgrade
      if (pending !== null && pending.refs.length === 0 && pending.inflight.length === 0) {
        replicator._upgrade = null
      }
    }
  }
}

function hex(key: Buffer): string {
  return b4a.toString(key, 'hex')
}
