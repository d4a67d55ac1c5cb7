import b4a from 'b4a'
import z32 from 'z32'
import type { PeerConnection, RoomConnection } from '../../shared/api/contract.js'
import { diagnoseConnection, TROUBLE_AFTER_MS } from '../network/connection-trouble.js'
import { LonelyLookups } from '../network/lonely-lookups.js'
import type { Network } from '../network/network.js'
import type { Room } from './room.js'

/** While no member is connected, the connection state (and its trouble) is re-read this often. */
const LONELY_CHECK_MS = 2000

export interface RoomConnectionWatchOptions {
  /** Null for an offline core: no connection state to report. */
  network: Network | null
  /** How long no member may be reachable before the connection reports trouble. */
  troubleAfterMs?: number
  /** The room's blind peers (keys), as of the last roster change. */
  mirrorKeys: () => Buffer[]
  /** Members not removed, as of the last roster change. */
  memberCount: () => number
  onChange: (connection: RoomConnection) => void
}

/**
 * A room's connections as the API reports them, and the diagnosis of a room no member is
 * connected to: reports each change, and looks the room up again while it is lonely.
 */
export class RoomConnectionWatch {
  /** Looks the room up again while no other member is connected. */
  readonly lonelyLookups: LonelyLookups
  private _room: Room
  private _options: RoomConnectionWatchOptions
  private _troubleAfterMs: number
  /** Since when no member is connected; null while one is. */
  private _lonelySince: number | null
  private _lonelyTimer: NodeJS.Timeout | null
  private _last: string
  private _closed: boolean

  constructor(room: Room, options: RoomConnectionWatchOptions) {
    this._room = room
    this._options = options
    this._troubleAfterMs = options.troubleAfterMs ?? TROUBLE_AFTER_MS
    this._lonelySince = Date.now()
    this._lonelyTimer = null
    this._last = ''
    this._closed = false
    this.lonelyLookups = new LonelyLookups(() => {
      options.network?.lookUpAgain(room.discoveryKey).catch(() => {})
    })
  }

  /** Every connection replicating the room: members' devices and blind peers. */
  peers(): PeerConnection[] {
    const network = this._options.network
    const mirrorKeys = this._options.mirrorKeys()
    return this._room.connections.map((conn) => {
      const relay = network?.relayOf(conn) ?? null
      const rtt = conn.rawStream?.rtt
      return {
        id: z32.encode(conn.remotePublicKey),
        relayed: relay !== null,
        relay: relay === null ? null : z32.encode(relay),
        blindPeer: mirrorKeys.some((key) => b4a.equals(key, conn.remotePublicKey)),
        rttMs: typeof rtt === 'number' && rtt > 0 ? rtt : null
      }
    })
  }

  connection(peers: PeerConnection[] = this.peers()): RoomConnection {
    const members = peers.filter((p) => !p.blindPeer)
    const relayed = members.filter((p) => p.relayed).length
    const network = this._options.network
    const trouble =
      network === null || this._lonelySince === null || members.length > 0
        ? null
        : diagnoseConnection({
            lonelyForMs: Date.now() - this._lonelySince,
            troubleAfterMs: this._troubleAfterMs,
            dhtReachable: network.dhtReachable,
            symmetricNat: network.symmetricNat,
            peersNeedingRelay: network.peersNeedingRelay(this._room.discoveryKey),
            hasRelay: network.relays.length > 0,
            hasBlindPeer: this._options.mirrorKeys().length > 0,
            onlyMember: this._options.memberCount() < 2
          })
    return {
      peers: members.length,
      direct: members.length - relayed,
      relayed,
      blindPeers: peers.length - members.length,
      relays: [...new Set(members.flatMap((p) => (p.relay === null ? [] : [p.relay])))],
      trouble
    }
  }

  /** Reports the connection state if it changed. */
  check(): void {
    if (this._closed) return
    const peers = this.peers()
    const members = peers.filter((p) => !p.blindPeer).length
    if (members > 0) this._lonelySince = null
    else if (this._lonelySince === null) this._lonelySince = Date.now()
    // trouble shows up with time and with failed punches, not only with connection events
    const lonely = this._lonelySince !== null && this._options.network !== null
    this.lonelyLookups.update(lonely && this._options.memberCount() >= 2)
    if (lonely && this._lonelyTimer === null) {
      this._lonelyTimer = setInterval(() => this.check(), LONELY_CHECK_MS)
      this._lonelyTimer.unref()
    } else if (!lonely && this._lonelyTimer !== null) {
      clearInterval(this._lonelyTimer)
      this._lonelyTimer = null
    }
    const connection = this.connection(peers)
    const summary = JSON.stringify(connection)
    if (summary === this._last) return
    this._last = summary
    this._options.onChange(connection)
  }

  close(): void {
    this._closed = true
    if (this._lonelyTimer !== null) clearInterval(this._lonelyTimer)
    this._lonelyTimer = null
    this.lonelyLookups.close()
  }
}
