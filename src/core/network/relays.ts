import b4a from 'b4a'
import type HyperDHT from 'hyperdht'
import type { DhtSocket } from 'hyperdht'
import type Hyperswarm from 'hyperswarm'
import type { SwarmConnection } from 'hyperswarm'

/** The blind relays this device may use, best first (the configured one, then rooms' blind peers). */
export type RelayKeys = () => Buffer[]

/**
 * Hyperswarm's own policy, with our relays: relay only when a hole-punch cannot work (our NAT is
 * symmetric) or one already failed with this peer (`force`). hyperdht keeps punching while it
 * relays and moves to the direct path when one opens.
 */
export function relayPolicy(keys: RelayKeys) {
  return (force: boolean, swarm: Hyperswarm): Buffer | null => {
    if (!force && !swarm.dht.randomized) return null
    return keys()[0] ?? null
  }
}

/**
 * Tells which relay, if any, carries a connection. hyperdht marks nothing on a relayed stream: the
 * only trace is that its UDP stream goes to the relay socket's address. hyperdht opens its relay
 * sockets with a bare `dht.connect(key)` (Hyperswarm and blind-peering always pass options), so we
 * keep those sockets and compare addresses when asked. A relayed connection later upgraded to a
 * direct path reads as direct.
 */
export class RelayTracker {
  private _relaySockets: Set<DhtSocket>

  constructor(dht: HyperDHT) {
    this._relaySockets = new Set()
    const connect = dht.connect.bind(dht)
    dht.connect = (publicKey: Buffer, opts?: Record<string, unknown>): DhtSocket => {
      const socket = connect(publicKey, opts)
      if (opts === undefined) {
        this._relaySockets.add(socket)
        socket.once('close', () => this._relaySockets.delete(socket))
      }
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
}
