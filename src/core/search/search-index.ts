import MiniSearch, { type Options } from 'minisearch'
import { searchTerm } from './search-terms.js'

/** How far each room's messages and changes were indexed (the view's counters then). */
export interface IndexedUpTo {
  messages: number
  changes: number
}

export interface SearchHit {
  id: string
  room: string
  score: number
}

interface Doc {
  id: string
  room: string
  text: string
}

/** The format of toJSON: bump it when the index's options change (an old file is rebuilt). */
const FORMAT = 1
/** Longer texts are indexed by their start only: a search index is not an archive. */
const MAX_INDEXED_CHARS = 16 * 1024

const OPTIONS: Options<Doc> = {
  fields: ['text'],
  storeFields: ['room'],
  processTerm: searchTerm,
  searchOptions: { prefix: true, combineWith: 'AND', processTerm: searchTerm }
}

/**
 * The device's full-text index of the messages it can read (minisearch, in memory): one document
 * per message id, its current text. Never synced: it is this device's, built from decrypted text.
 */
export class SearchIndex {
  private _index: MiniSearch<Doc>
  /** Per room, how far the index has read the view (to catch up from after a restart). */
  readonly upTo: Map<string, IndexedUpTo>
  private _changed: boolean

  constructor(
    index: MiniSearch<Doc> = new MiniSearch<Doc>(OPTIONS),
    upTo = new Map<string, IndexedUpTo>()
  ) {
    this._index = index
    this.upTo = upTo
    this._changed = false
  }

  /** Whether anything changed since the last toJSON. */
  get changed(): boolean {
    return this._changed
  }

  get size(): number {
    return this._index.documentCount
  }

  /** Indexes a message's current text; a deleted (empty) one leaves the index. */
  put(room: string, id: string, text: string): void {
    const doc = { id, room, text: text.slice(0, MAX_INDEXED_CHARS) }
    const has = this._index.has(id)
    if (text.length === 0) {
      if (has) this._index.discard(id)
    } else if (has) {
      this._index.replace(doc)
    } else {
      this._index.add(doc)
    }
    this._changed = true
  }

  /** Notes how far the index holds a room's messages and changes. */
  mark(room: string, upTo: IndexedUpTo): void {
    const now = this.upTo.get(room)
    if (now?.messages === upTo.messages && now.changes === upTo.changes) return
    this.upTo.set(room, { ...upTo })
    this._changed = true
  }

  has(id: string): boolean {
    return this._index.has(id)
  }

  /** Every message of a room leaves the index (the room was left). */
  forgetRoom(room: string): void {
    const ids: string[] = []
    for (const hit of this._index.search(MiniSearch.wildcard, { filter: (r) => r.room === room }))
      ids.push(String(hit.id))
    for (const id of ids) this._index.discard(id)
    this.upTo.delete(room)
    this._changed = true
  }

  /** Best first: every word of the query, the last one as a prefix too (as you type). */
  query(text: string, opts: { room?: string; limit: number }): SearchHit[] {
    if (text.trim().length === 0) return []
    const room = opts.room
    const hits = this._index.search(
      text,
      room === undefined ? {} : { filter: (r) => r.room === room }
    )
    return hits
      .slice(0, opts.limit)
      .map((h) => ({ id: String(h.id), room: String(h.room), score: h.score }))
  }

  toJSON(): string {
    this._changed = false
    return JSON.stringify({ format: FORMAT, upTo: [...this.upTo], index: this._index })
  }

  /** Null for anything this version did not write (the index is then rebuilt from the rooms). */
  static fromJSON(json: string): SearchIndex | null {
    try {
      const parsed = JSON.parse(json) as { format?: unknown; upTo?: unknown; index?: unknown }
      if (parsed.format !== FORMAT || !Array.isArray(parsed.upTo)) return null
      const upTo = new Map<string, IndexedUpTo>()
      for (const entry of parsed.upTo as unknown[]) {
        if (!Array.isArray(entry) || typeof entry[0] !== 'string') return null
        const mark = entry[1] as Partial<IndexedUpTo> | null
        if (!Number.isSafeInteger(mark?.messages) || !Number.isSafeInteger(mark?.changes))
          return null
        upTo.set(entry[0], { messages: mark?.messages as number, changes: mark?.changes as number })
      }
      const index = MiniSearch.loadJS<Doc>(parsed.index as never, OPTIONS)
      return new SearchIndex(index, upTo)
    } catch {
      return null
    }
  }
}
