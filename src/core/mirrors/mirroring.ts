import BlindPeering from 'blind-peering'
import type Autobase from 'autobase'
import type Corestore from 'corestore'
import type HyperDHT from 'hyperdht'
import type { Room } from '../rooms/room.js'
import b4a from 'b4a'
import type Hypercore from 'hypercore'
import {
  ManifestPublisher,
  roomManifestSource,
  type BlindPeerStream,
  type ManifestSource
} from './manifest-publisher.js'

type Base = Autobase<unknown>

interface Mirrored {
  keys: Buffer[]
  /** Whether close() waits for these blind peers (not for one only asked on a guess). */
  flush: boolean
}

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
  /** Rooms (and the record) asked to be mirrored, with their blind peers' keys. */
  private _rooms: Map<Base, Mirrored>
  /** Our blobs core of each room that has one open. */
  private _blobs: Map<Base, Hypercore>
  private _fallback: () => Buffer[]

  /**
   * `fallback`: the blind peers to ask for a room whose view we have not read yet (a device
   * restored from the phrase knows a room's keys, not its mirrors): the profile's own.
   */
  constructor(
    dht: HyperDHT,
    store: Corestore,
    keyPair: { publicKey: Buffer; secretKey: Buffer },
    fallback: () => Buffer[] = () => []
  ) {
    this._fallback = fallback
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
    this._publisher.track(roomManifestSource(room))
    const keys = (await room.mirrors()).map((m) => m.key)
    if (keys.length === 0 && (await room.info()) === null) {
      this._mirrorBase(room.base as Base, { keys: this._fallback(), flush: false })
    } else {
      this._mirrorBase(room.base as Base, { keys, flush: true })
    }
  }

  /** The person's own record, kept by the profile's blind peer as if it were a room. */
  mirrorRecord(source: ManifestSource, keys: Buffer[]): void {
    this._publisher.track(source)
    this._mirrorBase(source.base, { keys, flush: true })
  }

  private _mirrorBase(base: Base, mirrored: Mirrored): void {
    if (!this._rooms.has(base))
      base.once('close', () => {
        this._rooms.delete(base)
        this._blobs.delete(base)
      })
    this._rooms.set(base, mirrored)
    const keys = mirrored.keys
    if (keys.length === 0) return
    const pick = keys.length
    this._peering.addAutobaseBackground(base, { keys, pick })
    // the base's cores are sent when the connection opens; a writer we gained since (a joiner
    // becoming writable) would wait for blind-peering's next batch, so register it directly
    const referrer = base.wakeupCapability.key
    this._peering.addCoreBackground(base.local, { keys, pick, referrer })
    const blobs = this._blobs.get(base)
    if (blobs !== undefined) this._peering.addCoreBackground(blobs, { keys, pick, referrer })
  }

  /** Our blobs core in `room`: its blind peers keep it too (blind-peering sends only the base's). */
  async mirrorBlobs(room: Room, core: Hypercore): Promise<void> {
    this._blobs.set(room.base as Base, core)
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
    for (const [autobase, { keys, flush }] of this._rooms) {
      if (!flush || keys.length === 0 || autobase.closing !== null) continue
      cores.push({ core: autobase.local, keys, close: false })
      const blobs = this._blobs.get(autobase)
      if (blobs !== undefined) cores.push({ core: blobs, keys, close: false })
      const base = autobase as unknown as {
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
