import b4a from 'b4a'
import type Hyperswarm from 'hyperswarm'
import type { Discovery, PeerInfo, SwarmConnection } from 'hyperswarm'

/** The first look-up after a lost peer, doubling up to the last, then giving up. */
const DELAYS_MS = [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]
/** Look-ups of every room for a peer with no topic on record. */
const UNKNOWN_TOPIC_TRIES = 2

/**
 * Finds a peer again after its connection dropped. Hyperswarm counts a connection that lasted
 * under 15 s as a failed attempt, and after the fourth it never redials a peer it found by a
 * look-up: on a flaky link (a laptop waking, a Wi-Fi hand-over, a NAT dropping its mapping) a
 * member ended with no connection to anyone for the ten minutes until the next periodic
 * look-up. A fresh look-up of the peer's topics makes Hyperswarm reset and dial it, so while
 * we have no connection to a lost peer, look its topics up again with a growing delay.
 */
export class Rediscovery {
  private _swarm: Hyperswarm
  private _discoveries: () => Iterable<[string, Discovery]>
  /** Lost peers (hex key) → the timer of their next look-up and how many ran. */
  private _pending: Map<string, { timer: NodeJS.Timeout; tries: number }>
  private _closed: boolean
  /** Look-ups made so far (a diagnostic). */
  lookups: number

  constructor(swarm: Hyperswarm, discoveries: () => Iterable<[string, Discovery]>) {
    this._swarm = swarm
    this._discoveries = discoveries
    this._pending = new Map()
    this._closed = false
    this.lookups = 0
  }

  /**
   * Call for every connection: its close starts the look-ups, a new one to the peer ends them.
   * The peer's record is kept from here: Hyperswarm forgets a peer it gave up on.
   */
  track(conn: SwarmConnection, peer: PeerInfo): void {
    const id = b4a.toString(conn.remotePublicKey, 'hex')
    this._cancel(id)
    conn.once('close', () => this._schedule(id, peer, 0))
  }

  close(): void {
    this._closed = true
    for (const id of [...this._pending.keys()]) this._cancel(id)
  }

  private _schedule(id: string, peer: PeerInfo, tries: number): void {
    if (this._closed || tries >= DELAYS_MS.length || this._pending.has(id)) return
    const timer = setTimeout(() => {
      this._pending.delete(id)
      this._lookUp(id, peer, tries)
    }, DELAYS_MS[tries])
    timer.unref()
    this._pending.set(id, { timer, tries })
  }

  private _cancel(id: string): void {
    const pending = this._pending.get(id)
    if (pending === undefined) return
    clearTimeout(pending.timer)
    this._pending.delete(id)
  }

  private _lookUp(id: string, peer: PeerInfo, tries: number): void {
    if (this._closed || this._connected(id) || peer.banned) return
    // a peer that only ever dialled us has no topic on record: every room is looked up, but
    // only twice, since that costs a look-up per room (and it may be a pairing candidate)
    const topics = new Set(peer.topics.map((t) => b4a.toString(t, 'hex')))
    if (topics.size === 0 && tries >= UNKNOWN_TOPIC_TRIES) return
    for (const [topic, discovery] of this._discoveries()) {
      if (topics.size > 0 && !topics.has(topic)) continue
      this.lookups++
      discovery.refresh().catch(() => {})
    }
    this._schedule(id, peer, tries + 1)
  }

  private _connected(id: string): boolean {
    for (const conn of this._swarm.connections) {
      if (b4a.toString(conn.remotePublicKey, 'hex') === id) return true
    }
    return false
  }
}
