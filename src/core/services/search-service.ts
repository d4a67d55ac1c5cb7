import type { Message, SearchOptions } from '../../shared/api/contract.js'
import { expectOptionalObject, expectOptionalPositiveInt, expectString } from '../validate.js'
import type { SearchHit } from '../search/search-index.js'
import type { CoreContext } from './core-context.js'

const DEFAULT_HITS = 20
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
    // a hit may be gone from its room's view since it was indexed (a reorder dropped it): read
    // a page of hits as they are now, and the next page only if some were gone
    const hits = await this._ctx.search.search(text, { room, limit: limit * 4 })
    const found: Message[] = []
    for (let from = 0; from < hits.length && found.length < limit;) {
      const page = hits.slice(from, from + limit - found.length)
      from += page.length
      found.push(...(await this._readable(page)))
    }
    return found
  }

  /** The hits that are still there, as messages: read in parallel (RocksDB batches the reads). */
  private async _readable(hits: SearchHit[]): Promise<Message[]> {
    const read = await Promise.all(
      hits.map(async (hit) => {
        const joined = this._ctx.rooms.get(hit.room)
        if (joined === undefined) return null
        const view = joined.room
        // where it was indexed (one read), else by its id (a reorder moved it)
        const stored =
          (await view.conversation.messageAt(hit.seq, hit.id)) ?? (await view.messageById(hit.id))
        return stored === null || stored.deleted === true ? null : { joined, stored }
      })
    )
    const messages: Message[] = []
    for (const entry of read) {
      if (entry === null) continue
      const [message] = await entry.joined.readable([entry.stored])
      if (message !== undefined) messages.push(message)
    }
    return messages
  }
}
