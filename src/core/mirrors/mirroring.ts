import BlindPeering from 'blind-peering'
import type Corestore from 'corestore'
import type HyperDHT from 'hyperdht'
import type { Room } from '../rooms/room.js'

/**
 * Asks each room's blind peers to keep all of the room's cores. blind-peering (v2: dht, not a
 * swarm) registers our own writer and the cores we know; every member does the same for itself,
 * so a member who joins later is mirrored too. The room's encryption key never leaves us.
 */
export class Mirroring {
  private _peering: BlindPeering

  constructor(dht: HyperDHT, store: Corestore, keyPair: { publicKey: Buffer; secretKey: Buffer }) {
    this._peering = new BlindPeering(dht, store)
    // blind-peering 2.0.1 dials with `this.keyPair` (unset: the DHT's default key pair). hyperdht
    // dials relays with that default key pair too, and a blind peer's swarm keeps one connection
    // per remote key: our mirroring and our relay session would evict each other (seen in the NAT
    // lab: every relayed connection died within 10 ms). Dial blind peers with the swarm's key.
    this._peering.keyPair = keyPair
  }

  /** Idempotent: a blind peer already keeping this room is not asked twice. */
  async mirror(room: Room): Promise<void> {
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
    await this._peering.close()
  }
}
