import { EventEmitter } from 'events'
import BlindPeer from 'blind-peer'
import type Corestore from 'corestore'
import type Hyperswarm from 'hyperswarm'
import type { SwarmConnection } from 'hyperswarm'

/**
 * The parts of blind-peer 3.8.1's BlindPeer that CappedBlindPeer builds on, typed from its
 * source (index.js). Checked by the blind-peer tests: a change upstream fails them, not users.
 */

/** hypercore's shared core object (lib/core.js): one per open core, under every session. */
export interface CoreState {
  key: Buffer | null
  discoveryKey: Buffer
  replicator: {
    /**
     * hypercore's own `eagerUpgrade` option (default true), read live: when false the core asks
     * for no newer length unless a session calls update(), and still fills in its blocks.
     */
    eagerUpgrade: boolean
    /** The pending upgrade request, if any (eager ones have no refs: nobody waits on them). */
    _upgrade: { refs: unknown[]; inflight: unknown[] } | null
    queueUpdateAll(): void
  }
}

/** A session on a core (what blind-peer's CoreTracker holds, weak). */
export interface CoreSession extends EventEmitter {
  key: Buffer
  length: number
  byteLength: number
  core: CoreState
  closing: boolean
  ready(): Promise<void>
}

export interface CoreRecord {
  key: Buffer
  length: number
  bytesAllocated: number
  referrer: Buffer | null
}

export interface AddCoresRequest {
  cores: Array<{ key: Buffer; length: number }>
  referrer: Buffer | null
  priority: number
  announce: boolean
}

export interface AddCoreRecord {
  key: Buffer
  referrer: Buffer | null
  priority: number
  announce: boolean
}

export interface BlindPeerInternals extends EventEmitter {
  readonly publicKey: Buffer
  readonly store: Corestore
  readonly swarm: Hyperswarm
  readonly closing: boolean
  readonly digest: { cores: number; bytesAllocated: number }
  db: {
    getCoreRecord(key: Buffer): Promise<CoreRecord | null>
    find(collection: '@blind-peer/cores', query: Record<string, never>): AsyncIterable<CoreRecord>
  }
  /** Discovery key (hex) -> tracker of each open core. */
  activeReplication: Map<string, { core: CoreSession }>
  ready(): Promise<void>
  listen(): Promise<void>
  close(): Promise<void>
  _open(): Promise<void>
  _oncoreopen(core: CoreState): void
  _onaddcores(stream: SwarmConnection, request: AddCoresRequest): Promise<unknown>
  _onaddcore(stream: SwarmConnection, record: AddCoreRecord): Promise<unknown>
}

export const BlindPeerBase = BlindPeer as unknown as new (
  rocksDir: string,
  opts: Record<string, unknown>
) => BlindPeerInternals
