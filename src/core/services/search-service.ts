import type { Message, SearchOptions } from '../../shared/api/contract.js'
import { expectOptionalObject, expectOptionalPositiveInt, expectString } from '../validate.js'
import type { CoreContext } from './core-context.js'

const DEFAULT_HITS = 50
const MAX_HITS = 200

/** Full-text search over the messages this device can read, in every room or one. */
export class SearchService {
  private _ctx: CoreContext

  constructor(ctx: CoreContext) {
    this._ctx = ctx
  }

  async search(query: string, opts?: SearchOptions): Promise<Message[]> {
    const text = expectString(query, 'search query')
    const options = expectOptionalObject(opts, 'search options')
    const limit = Math.min(
      MAX_HITS,
      expectOptionalPositiveInt(options.limit, 'limit') ?? DEFAULT_HITS
    )
    const room =
      options.room === undefined || options.room === null
        ? undefined
        : this._ctx.joined(expectString(options.room, 'room')).id
    // a hit may be gone from its room's view since it was indexed (a reorder dropped it): ask
    // for a few more than wanted and keep the ones that are still there as the index has them
    const hits = await this._ctx.search.search(text, { room, limit: limit * 2 })
    // read in parallel: RocksDB batches the reads (50 one by one took ~25 ms)
    const read = await Promise.all(
      hits.map(async (hit) => {
        const joined = this._ctx.rooms.get(hit.room)
        const stored = joined === undefined ? null : await joined.room.messageById(hit.id)
        return stored === null || stored.deleted === true ? null : { joined, stored }
      })
    )
    const found: Message[] = []
    for (const entry of read) {
      if (found.length >= limit) break
      if (entry === null || entry.joined === undefined) continue
      const [message] = await entry.joined.readable([entry.stored])
      if (message !== undefined) found.push(message)
    }
    return found
  }
}
