import b4a from 'b4a'
import { Server as RelayServer } from 'blind-relay'
import type HyperDHT from 'hyperdht'
import type { SwarmConnection } from 'hyperswarm'

/**
 * The blind relay Hyperswarm's `relayThrough` talks to: two peers that cannot hole-punch (both
 * behind symmetric NATs) each pair with us under a shared token and we forward their encrypted
 * UDX packets. It rides the blind peer's own swarm connections, so it answers on the same key.
 */
/** Relay sessions open at once (each is a peer's connection that asked to pair). */
const MAX_SESSIONS = 1024

export class BlindRelay {
  private _server: RelayServer
  private _log: (line: string) => void
  private _full = false

  constructor(dht: HyperDHT, log: (line: string) => void) {
    this._log = log
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
    session.on('pair', (isInitiator, token, stream) => {
      // both ends of one pairing raise 'pair'; log the pairing once
      if (!isInitiator) return
      const id = b4a.toString(token, 'hex').slice(0, 8)
      this._log(`relaying session ${id} (${this.activePairs} active)`)
      const link = stream as { once(event: 'close', listener: () => void): void }
      link.once('close', () => this._log(`relay session ${id} ended`))
    })
  }

  async close(): Promise<void> {
    // a session ends gracefully only once its pending pairings are matched, which a peer that
    // asked and went silent never does: destroy them instead
    for (const session of this._server.sessions) session.destroy()
    await this._server.close()
  }
}
