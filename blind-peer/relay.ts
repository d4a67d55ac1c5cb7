import b4a from 'b4a'
import { Server as RelayServer } from 'blind-relay'
import type HyperDHT from 'hyperdht'
import type { SwarmConnection } from 'hyperswarm'
import z32 from 'z32'

/**
 * The blind relay Hyperswarm's `relayThrough` talks to: two peers that cannot hole-punch (both
 * behind symmetric NATs) each pair with us under a shared token and we forward their encrypted
 * UDX packets. It rides the blind peer's own swarm connections, so it answers on the same key.
 */
/** Relay sessions open at once (each is a peer's connection that asked to pair). */
const MAX_SESSIONS = 1024
/** Relayed connections (pending or active pairings) one peer may hold at once, by default. */
export const DEFAULT_RELAY_PER_PEER = 32

/** blind-relay 1.x session internals we count and gate (index.js: BlindRelaySession). */
interface SessionInternals {
  _pairing: Set<string>
  _links: Map<string, unknown>
  _pair: { onmessage: (message: { token: Buffer }, ...rest: unknown[]) => unknown }
}

export class BlindRelay {
  /** Pairings (pending or relaying) one remote public key may hold at once. */
  readonly maxPerPeer: number
  private _server: RelayServer
  private _log: (line: string) => void
  private _full: boolean
  private _byPeer: Map<string, Set<SessionInternals>>
  private _limited: Set<string>
  private _warned: boolean

  constructor(dht: HyperDHT, log: (line: string) => void, maxPerPeer = DEFAULT_RELAY_PER_PEER) {
    this.maxPerPeer = maxPerPeer
    this._log = log
    this._full = false
    this._byPeer = new Map()
    this._limited = new Set()
    this._warned = false
    this._server = new RelayServer({
      createStream: (opts) => dht.createRawStream({ ...opts, framed: true })
    })
  }

  get activePairs(): number {
    return this._server.stats.pairings.active
  }

  /** Serves relay requests arriving on `conn` (a no-op for peers that never ask). */
  accept(conn: SwarmConnection): void {
    // anyone on the DHT may ask: bound what they can hold open
    if (this._server.stats.sessions.active >= MAX_SESSIONS) {
      if (!this._full)
        this._log(`relay full (${MAX_SESSIONS} sessions): not relaying for new peers`)
      this._full = true
      return
    }
    this._full = false
    const session = this._server.accept(conn, { id: conn.remotePublicKey })
    session.on('error', () => {}) // a peer hanging up mid-pairing is normal churn
    this._limitPerPeer(b4a.toString(conn.remotePublicKey, 'hex'), session)
    session.on('pair', (isInitiator, token, stream) => {
      // both ends of one pairing raise 'pair'; log the pairing once
      if (!isInitiator) return
      const id = b4a.toString(token, 'hex').slice(0, 8)
      this._log(`relaying session ${id} (${this.activePairs} active)`)
      const link = stream as { once(event: 'close', listener: () => void): void }
      link.once('close', () => this._log(`relay session ${id} ended`))
    })
  }

  /** Pairings `peer` (hex) holds now, over all its connections. */
  pairingsOf(peer: string): number {
    let n = 0
    for (const s of this._byPeer.get(peer) ?? []) n += s._pairing.size + s._links.size
    return n
  }

  /** Drops a peer's pair requests past its limit: the peer's relaying times out, ours holds. */
  private _limitPerPeer(peer: string, session: object): void {
    const internals = session as Partial<SessionInternals>
    const known =
      internals._pairing instanceof Set && internals._links instanceof Map && !!internals._pair
    if (!known) {
      // relaying still works; only the limit is gone, and the log says so once
      if (!this._warned) this._log('relay: blind-relay changed, relays are not limited per peer')
      this._warned = true
      return
    }
    this._track(peer, session, internals as SessionInternals)
  }

  private _track(peer: string, session: object, internals: SessionInternals): void {
    let sessions = this._byPeer.get(peer)
    if (sessions === undefined) {
      sessions = new Set()
      this._byPeer.set(peer, sessions)
    }
    sessions.add(internals)
    ;(session as { once(e: 'close', l: () => void): void }).once('close', () => {
      sessions.delete(internals)
      if (sessions.size > 0) return
      this._byPeer.delete(peer)
      this._limited.delete(peer)
    })
    const onpair = internals._pair.onmessage
    internals._pair.onmessage = (message, ...rest) => {
      const token = b4a.toString(message.token, 'hex')
      const known = internals._pairing.has(token) || internals._links.has(token)
      if (!known && this.pairingsOf(peer) >= this.maxPerPeer) {
        if (!this._limited.has(peer)) {
          this._limited.add(peer)
          this._log(
            `relay limit: ${z32.encode(b4a.from(peer, 'hex'))} holds ${this.maxPerPeer} relayed connections; refusing more`
          )
        }
        return
      }
      this._limited.delete(peer)
      return onpair(message, ...rest)
    }
  }

  async close(): Promise<void> {
    // a session ends gracefully only once its pending pairings are matched, which a peer that
    // asked and went silent never does: destroy them instead
    for (const session of this._server.sessions) session.destroy()
    await this._server.close()
  }
}
