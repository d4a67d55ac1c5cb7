import b4a from 'b4a'
import HyperDHT, { type DhtSocket } from 'hyperdht'
import type Hyperswarm from 'hyperswarm'
import type { SwarmConnection } from 'hyperswarm'

/** The blind relays this device may use, best first (the configured one, then rooms' blind peers). */
export type RelayKeys = () => Buffer[]

/** Errors after which only a relay can connect the two peers (Hyperswarm's own list). */
const PUNCH_FAILURES = new Set([
  'HOLEPUNCH_ABORTED',
  'HOLEPUNCH_DOUBLE_RANDOMIZED_NATS',
  'CANNOT_HOLEPUNCH',
  'REMOTE_NOT_HOLEPUNCHABLE'
])
/** A failed punch says the peer was online; after this long it says nothing any more. */
const PUNCH_FAILURE_TTL_MS = 5 * 60 * 1000

/**
 * Hyperswarm's own policy, with our relays: relay only when a hole-punch cannot work (our NAT is
 * symmetric) or one already failed with this peer (`force`). hyperdht keeps punching while it
 * relays and moves to the direct path when one opens.
 *
 * Installed as a getter: with no relay known, Hyperswarm must see no `relayThrough` at all, or
 * every failed punch resets the peer's attempts and it redials a peer it cannot reach about once
 * a second, forever.
 */
export function useRelays(swarm: Hyperswarm, keys: RelayKeys): void {
  const policy = (force: boolean, s: Hyperswarm): Buffer | null => {
    if (!force && !s.dht.randomized) return null
    return keys()[0] ?? null
  }
  Object.defineProperty(swarm, 'relayThrough', {
    configurable: true,
    get: () => (keys().length > 0 ? policy : null),
    set: () => {}
  })
}

interface PunchFailure {
  at: number
  topics: Buffer[]
}

/**
 * Watches the DHT's connects: which relay, if any, carries a connection, and which peers a
 * hole-punch failed with. hyperdht marks nothing on a relayed stream: the only trace is that its
 * UDP stream goes to the relay socket's address. hyperdht opens its relay sockets with a bare
 * `dht.connect(key)` (Hyperswarm and blind-peering always pass options), so we keep those sockets
 * and compare addresses when asked; a connection later upgraded to a direct path reads as direct.
 */
export class ConnectWatch {
  private _relaySockets: Set<DhtSocket>
  private _punchFailures: Map<string, PunchFailure>

  constructor(dht: HyperDHT, peerTopics: (publicKey: Buffer) => Buffer[]) {
    this._relaySockets = new Set()
    this._punchFailures = new Map()
    const connect = dht.connect.bind(dht)
    dht.connect = (publicKey: Buffer, opts?: Record<string, unknown>): DhtSocket => {
      if (opts !== undefined) {
        const socket = connect(publicKey, opts)
        socket.on('error', (err: Error & { code?: string }) => {
          if (err.code !== undefined && PUNCH_FAILURES.has(err.code)) {
            const id = b4a.toString(publicKey, 'hex')
            this._punchFailures.set(id, { at: Date.now(), topics: peerTopics(publicKey) })
          }
        })
        return socket
      }
      // A relay socket. hyperdht would dial every one with the DHT's default key pair, and the
      // relay (a swarm: one connection per remote key) would drop our previous relay session
      // for each new one; a fresh key pair per socket keeps them apart (the relay keys sessions
      // by the socket's own key, which the client reads back from the socket).
      const socket = connect(publicKey, { keyPair: HyperDHT.keyPair() })
      this._relaySockets.add(socket)
      socket.once('close', () => this._relaySockets.delete(socket))
      return socket
    }
  }

  /** The key of the relay that carries `conn`; null when it is direct. */
  relayOf(conn: SwarmConnection): Buffer | null {
    const stream = conn.rawStream
    if (stream === null) return null
    for (const socket of this._relaySockets) {
      const relay = socket.rawStream
      if (relay === null || b4a.equals(socket.remotePublicKey, conn.remotePublicKey)) continue
      if (relay.remoteHost === stream.remoteHost && relay.remotePort === stream.remotePort) {
        return socket.remotePublicKey
      }
    }
    return null
  }

  /** Peers of `topic` (hex keys) a hole-punch failed with lately. */
  punchFailures(topic: Buffer): string[] {
    const since = Date.now() - PUNCH_FAILURE_TTL_MS
    const peers: string[] = []
    for (const [id, failure] of this._punchFailures) {
      if (failure.at < since) this._punchFailures.delete(id)
      else if (failure.topics.some((t) => b4a.equals(t, topic))) peers.push(id)
    }
    return peers
  }
}
