import BlindPeering from 'blind-peering'
import type Corestore from 'corestore'
import type HyperDHT from 'hyperdht'
import type { Room } from '../rooms/room.js'
import b4a from 'b4a'
import type Hypercore from 'hypercore'
import { ManifestPublisher, type BlindPeerStream } from './manifest-publisher.js'

/** How long close() waits for the blind peers to hold what we have (a cap, not a pause). */
const FLUSH_TIMEOUT_MS = 5000
/** How often close() looks at the blind peers' lengths while waiting (no per-peer event). */
const FLUSH_CHECK_MS = 25

/**
 * Asks each room's blind peers to keep all of the room's cores. blind-peering (v2: dht, not a
 * swarm) registers our own writer and the cores we know; every member does the same for itself,
 * so a member who joins later is mirrored too. The room's encryption key never leaves us.
 * A blind peer keeps only the cores a room's signed manifest lists: an admin's Mirroring sends
 * it (ManifestPublisher) on the same connection.
 */
export class Mirroring {
  private _peering: BlindPeering
  private _publisher: ManifestPublisher
  /** Rooms asked to be mirrored, with their blind peers' keys (for the flush on close). */
  private _rooms: Map<Room, Buffer[]>
  /** Our blobs core of each room that has one open. */
  private _blobs: Map<Room, Hypercore>

  constructor(dht: HyperDHT, store: Corestore, keyPair: { publicKey: Buffer; secretKey: Buffer }) {
    this._publisher = new ManifestPublisher()
    this._rooms = new Map()
    this._blobs = new Map()
    // blind-peering only ever calls `store.replicate(stream)` on the connections it opens to
    // blind peers: seeing them there is how manifests ride the same connection
    const peeringStore = {
      replicate: (stream: BlindPeerStream) => {
        const replicated = store.replicate(stream)
        this._publisher.onStream(stream)
        return replicated
      }
    } as unknown as Corestore
    this._peering = new BlindPeering(dht, peeringStore)
    // blind-peering 2.0.1 dials with `this.keyPair` (unset: the DHT's default key pair). hyperdht
    // dials relays with that default key pair too, and a blind peer's swarm keeps one connection
    // per remote key: our mirroring and our relay session would evict each other (seen in the NAT
    // lab: every relayed connection died within 10 ms). Dial blind peers with the swarm's key.
    this._peering.keyPair = keyPair
  }

  /**
   * Idempotent: a blind peer already keeping this room is not asked twice. Call it when the
   * room opens, when its roster or mirrors change and when our writer changes; an admin's call
   * also (re)sends the room's manifest to its blind peers when what it lists changed.
   */
  async mirror(room: Room): Promise<void> {
    this._publisher.track(room)
    const keys = (await room.mirrors()).map((m) => m.key)
    if (!this._rooms.has(room))
      room.base.once('close', () => {
        this._rooms.delete(room)
        this._blobs.delete(room)
      })
    this._rooms.set(room, keys)
    if (keys.length === 0) return
    const pick = keys.length
    this._peering.addAutobaseBackground(room.base, { keys, pick })
    // the base's cores are sent when the connection opens; a writer we gained since (a joiner
    // becoming writable) would wait for blind-peering's next batch, so register it directly
    const referrer = room.base.wakeupCapability.key
    this._peering.addCoreBackground(room.base.local, { keys, pick, referrer })
    const blobs = this._blobs.get(room)
    if (blobs !== undefined) this._peering.addCoreBackground(blobs, { keys, pick, referrer })
  }

  /** Our blobs core in `room`: its blind peers keep it too (blind-peering sends only the base's). */
  async mirrorBlobs(room: Room, core: Hypercore): Promise<void> {
    this._blobs.set(room, core)
    await this.mirror(room)
  }

  /**
   * Waits (at most FLUSH_TIMEOUT_MS) until every connected blind peer of each room holds our
   * writer and the room's system, encryption and view cores as far as we have them. A member
   * who comes back while we are offline can fast-forward only to a signed system whose tip
   * blocks (and the views' tips) a blind peer holds; closing our connections with a few of
   * them still in flight left it a signed length it could not fetch (issue 16).
   */
  async flush(): Promise<void> {
    const deadline = Date.now() + FLUSH_TIMEOUT_MS
    const cores: Array<{ core: Hypercore; keys: Buffer[]; close: boolean }> = []
    for (const [room, keys] of this._rooms) {
      if (keys.length === 0 || room.base.closing !== null) continue
      cores.push({ core: room.base.local, keys, close: false })
      const blobs = this._blobs.get(room)
      if (blobs !== undefined) cores.push({ core: blobs, keys, close: false })
      const base = room.base as unknown as {
        views(): Array<{ key: Buffer | null }>
        store: Corestore
      }
      for (const view of base.views()) {
        if (view.key === null) continue
        const core = base.store.get({ key: view.key, active: false })
        cores.push({ core, keys, close: true })
      }
    }
    try {
      await Promise.all(cores.map(({ core }) => core.ready().catch(() => {})))
      while (Date.now() < deadline && cores.some(({ core, keys }) => behind(core, keys))) {
        await new Promise((resolve) => setTimeout(resolve, FLUSH_CHECK_MS))
      }
    } finally {
      for (const { core, close } of cores) if (close) await core.close().catch(() => {})
    }
  }

  async close(): Promise<void> {
    await this.flush().catch(() => {})
    await this._peering.close() // destroys its connections, so manifest sends in flight end
    await this._publisher.idle()
  }
}

/** Whether a connected blind peer (one of `keys`) holds less of `core` than we do. */
function behind(core: Hypercore, keys: Buffer[]): boolean {
  if (core.closed) return false
  return core.peers.some(
    (peer) =>
      keys.some((key) => b4a.equals(key, peer.remotePublicKey)) &&
      peer.remoteContiguousLength < core.length
  )
}
