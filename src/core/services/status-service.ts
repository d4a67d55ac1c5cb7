import z32 from 'z32'
import type { Status } from '../../shared/api/contract.js'
import type { CoreContext } from './core-context.js'
import type { MirrorsService } from './mirrors-service.js'

/** What the core can say about its network and each room's connections. */
export class StatusService {
  private _ctx: CoreContext
  private _mirrors: MirrorsService

  constructor(ctx: CoreContext, mirrors: MirrorsService) {
    this._ctx = ctx
    this._mirrors = mirrors
  }

  async status(): Promise<Status> {
    const ctx = this._ctx
    const rooms = []
    for (const joined of ctx.runningRooms()) {
      const info = await joined.room.info()
      rooms.push({
        room: joined.id,
        name: info?.name ?? '',
        mirrors: await joined.mirrors(),
        connection: joined.connection(),
        peers: joined.peers()
      })
    }
    const network = ctx.network
    return {
      profile: ctx.profile.profile,
      online: network !== null,
      dht: {
        bootstrap: ctx.options.bootstrap ?? null,
        host: ctx.options.host ?? null,
        firewalled: network?.firewalled ?? null,
        reachable: network?.dhtReachable ?? null,
        symmetricNat: network?.symmetricNat ?? null
      },
      relays: this._mirrors.relayKeys().map((key) => z32.encode(key)),
      rooms
    }
  }
}
