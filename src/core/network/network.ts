import { EventEmitter } from 'events'
import Hyperswarm, { type Discovery, type PeerInfo, type SwarmConnection } from 'hyperswarm'
import HyperDHT from 'hyperdht'
import type Corestore from 'corestore'
import b4a from 'b4a'
import type WakeupSwarm from 'protomux-wakeup'
import { watchHalfOpen } from './half-open-watchdog.js'
import { Rediscovery } from './rediscovery.js'
import { ConnectWatch, useRelays, type RelayKeys } from './relays.js'

export interface NetworkOptions {
  /** `host:port` DHT bootstrap nodes; omitted: the public DHT. */
  bootstrap?: string[] | null
  /** Address the DHT socket binds to. */
  host?: string | null
  /** UDP port the DHT binds to (a forwarded port); omitted: any free one. */
  port?: number | null
  /** For tests: how long a connection may read nothing before it is redialled. */
  halfOpenTimeoutMs?: number
  /** Blind relays for connections a hole-punch cannot make; none by default. */
  relays?: RelayKeys
  /** Autobase's wakeup protocol, added to every connection beside the store's replication. */
  wakeup?: WakeupSwarm
}

/** A connection that has read nothing after this long lost a hole-punch race: redial it. */
const HALF_OPEN_TIMEOUT_MS = 1500
/** Short backoffs so a lost race costs ~2 s, not 15–70 s (docs/ARCHITECTURE.md, Network). */
const BACKOFFS = [250, 500, 1000, 10 * 60 * 1000]

export function parseBootstrap(list: string[]): Array<{ host: string; port: number }> {
  return list.map((entry) => {
    const at = entry.lastIndexOf(':')
    const port = Number(entry.slice(at + 1))
    if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
      throw new Error(`Bootstrap node "${entry}" is not host:port`)
    }
    return { host: entry.slice(0, at), port }
  })
}

function isLoopback(host: string | null | undefined): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost'
}

/** A DHT node with the bootstrap and bind host the user chose. */
export function createDht(options: NetworkOptions): HyperDHT {
  return new HyperDHT({
    bootstrap: options.bootstrap ? parseBootstrap(options.bootstrap) : undefined,
    host: options.host ?? undefined,
    ...(options.port ? { port: options.port, anyPort: false } : {}),
    // bound to loopback, every peer that can reach us at all reaches us directly; claiming
    // otherwise makes first connections race a hole-punch that cannot help (docs/ARCHITECTURE.md, Network)
    firewalled: isLoopback(options.host) ? false : undefined
  })
}

/** The core's one Hyperswarm: replicates the store on every connection, for every room. */
export class Network extends EventEmitter {
  readonly swarm: Hyperswarm
  readonly options: NetworkOptions
  private _halfOpenTimeout: number
  private _relays: RelayKeys
  private _watch: ConnectWatch
  private _discoveries: Map<string, Discovery>
  readonly rediscovery: Rediscovery

  constructor(store: Corestore, options: NetworkOptions) {
    super()
    this.options = options
    this._halfOpenTimeout = options.halfOpenTimeoutMs ?? HALF_OPEN_TIMEOUT_MS
    this._relays = options.relays ?? (() => [])
    const dht = createDht(options)
    this._watch = new ConnectWatch(
      dht,
      (key) => this.swarm.peers.get(b4a.toString(key, 'hex'))?.topics ?? []
    )
    this._discoveries = new Map()
    this.swarm = new Hyperswarm({ dht, backoffs: BACKOFFS, jitter: 100 })
    useRelays(this.swarm, this._relays)
    this.rediscovery = new Rediscovery(this.swarm, () => this._discoveries.entries())
    this.swarm.on('connection', (conn: SwarmConnection, peer: PeerInfo) => {
      conn.on('error', () => {}) // resets and timeouts are normal churn; replication retries
      this.rediscovery.track(conn, peer)
      store.replicate(conn)
      // Autobase.replicate() does both; the rooms share this connection, so the core does
      options.wakeup?.addStream(conn)
      watchHalfOpen(conn, this._halfOpenTimeout)
      conn.once('close', () => this.emit('connections'))
      this.emit('connections')
    })
  }

  join(discoveryKey: Buffer): Promise<void> {
    const discovery = this.swarm.join(discoveryKey)
    this._discoveries.set(b4a.toString(discoveryKey, 'hex'), discovery)
    return discovery.flushed()
  }

  async leave(discoveryKey: Buffer): Promise<void> {
    this._discoveries.delete(b4a.toString(discoveryKey, 'hex'))
    await this.swarm.leave(discoveryKey)
  }

  /**
   * Looks every topic up again, so peers Hyperswarm gave up on are dialled now rather than after
   * its long backoff: after a relay was set, a peer only a relay can reach is reachable at once.
   */
  async retry(): Promise<void> {
    await Promise.allSettled([...this._discoveries.values()].map((d) => d.refresh()))
  }

  /** Looks one room's topic up again (see LonelyLookups). */
  async lookUpAgain(discoveryKey: Buffer): Promise<void> {
    await this._discoveries.get(b4a.toString(discoveryKey, 'hex'))?.refresh()
  }

  flush(): Promise<void> {
    return this.swarm.flush()
  }

  get firewalled(): boolean | null {
    return this.swarm.dht.firewalled ?? null
  }

  /** DHT nodes answer us: false when offline or UDP is blocked; null while still bootstrapping. */
  get dhtReachable(): boolean | null {
    const dht = this.swarm.dht
    if (!dht.online) return false
    if (!dht.bootstrapped) return null
    return dht.table.size > 0
  }

  /** Our NAT maps each destination to a new port, so hole-punching fails with other strict NATs. */
  get symmetricNat(): boolean {
    return this.swarm.dht.randomized
  }

  get relays(): Buffer[] {
    return this._relays()
  }

  /** The blind relay carrying `conn`, or null when it is direct. */
  relayOf(conn: SwarmConnection): Buffer | null {
    return this._watch.relayOf(conn)
  }

  /** Peers of the topic a hole-punch failed with lately, that we are not connected to. */
  peersNeedingRelay(topic: Buffer): number {
    const connected = new Set(
      [...this.swarm.connections].map((c) => b4a.toString(c.remotePublicKey, 'hex'))
    )
    return this._watch.punchFailures(topic).filter((id) => !connected.has(id)).length
  }

  async destroy(): Promise<void> {
    this.rediscovery.close()
    await this.swarm.destroy()
  }
}
