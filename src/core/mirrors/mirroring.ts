import BlindPeering from 'blind-peering'
import type Corestore from 'corestore'
import type HyperDHT from 'hyperdht'
import type { Room } from '../rooms/room.js'
import { ManifestPublisher, type BlindPeerStream } from './manifest-publisher.js'

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

  constructor(dht: HyperDHT, store: Corestore, keyPair: { publicKey: Buffer; secretKey: Buffer }) {
    this._publisher = new ManifestPublisher()
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
    if (keys.length === 0) return
    const pick = keys.length
    this._peering.addAutobaseBackground(room.base, { keys, pick })
    // the base's cores are sent when the connection opens; a writer we gained since (a joiner
    // becoming writable) would wait for blind-peering's next batch, so register it directly
    const referrer = room.base.wakeupCapability.key
    this._peering.addCoreBackground(room.base.local, { keys, pick, referrer })
  }

  async close(): Promise<void> {
    await this._peering.close() // destroys its connections, so manifest sends in flight end
    await this._publisher.idle()
  }
}
