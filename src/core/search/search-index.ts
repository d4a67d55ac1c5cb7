import SearchableMap from 'minisearch/SearchableMap'
import { searchTerm } from './search-terms.js'

/** How far each room's messages and changes were indexed (the view's counters then). */
export interface IndexedUpTo {
  messages: number
  changes: number
}

export interface SearchHit {
  id: string
  room: string
  /** Its position when indexed: where to read it first (a reorder may have moved it). */
  seq: number
  timestamp: number
}

/** One indexed message; null once deleted, edited (indexed again under a new number) or forgotten. */
type Doc = [id: string, room: string, seq: number, timestamp: number] | null

/** The format of toJSON: bump it when the index changes shape (an old file is rebuilt). */
const FORMAT = 3
/** Longer texts are indexed by their start only: a search index is not an archive. */
const MAX_INDEXED_CHARS = 16 * 1024
/** A query's words past this are not looked at (the per-message count is a byte). */
const MAX_QUERY_WORDS = 32
/** minisearch's word boundaries: spaces, line breaks and punctuation. */
const WORD_BREAK = /[\n\r\p{Z}\p{P}]+/u

function termsOf(text: string): string[] {
  const terms = new Set<string>()
  for (const word of text.split(WORD_BREAK)) {
    const term = searchTerm(word)
    if (term !== null) terms.add(term)
  }
  return [...terms]
}

function isDoc(value: unknown): value is Doc {
  if (value === null) return true
  if (!Array.isArray(value) || value.length !== 4) return false
  const [id, room, seq, timestamp] = value as unknown[]
  return (
    typeof id === 'string' &&
    typeof room === 'string' &&
    Number.isSafeInteger(seq) &&
    typeof timestamp === 'number' &&
    Number.isFinite(timestamp)
  )
}

/**
 * The device's full-text index of the messages it can read: an inverted index from each term to
 * the numbers of the messages holding it (a radix tree of terms, minisearch's SearchableMap, finds
 * the terms a prefix starts). A query marks the messages holding every word, the last one as a
 * word's start, and answers the newest first: no scoring, so it costs the length of the terms'
 * lists, never a sort of every match. Never synced: it is this device's, built from decrypted
 * text.
 */
export class SearchIndex {
  private _terms: SearchableMap<number[]>
  private _docs: Doc[]
  private _byId: Map<string, number>
  /** Messages dropped since the terms' lists last forgot the dropped ones. */
  private _dead: number
  /** Per room, how far the index has read the view (to catch up from after a restart). */
  readonly upTo: Map<string, IndexedUpTo>
  private _changed: boolean

  constructor(
    terms = new SearchableMap<number[]>(),
    docs: Doc[] = [],
    upTo = new Map<string, IndexedUpTo>()
  ) {
    this._terms = terms
    this._docs = docs
    this._byId = new Map()
    this._dead = 0
    for (const [n, doc] of docs.entries()) {
      if (doc === null) this._dead++
      else this._byId.set(doc[0], n)
    }
    this.upTo = upTo
    this._changed = false
  }

  /** Whether anything changed since the last toJSON. */
  get changed(): boolean {
    return this._changed
  }

  get size(): number {
    return this._byId.size
  }

  /** Indexes a message's current text; a deleted (empty) one leaves the index. */
  put(room: string, id: string, seq: number, timestamp: number, text: string): void {
    this._drop(id)
    this._changed = true
    if (text.length === 0) return
    const n = this._docs.length
    this._docs.push([id, room, seq, timestamp])
    this._byId.set(id, n)
    for (const term of termsOf(text.slice(0, MAX_INDEXED_CHARS))) {
      const list = this._terms.get(term)
      if (list === undefined) this._terms.set(term, [n])
      else list.push(n)
    }
  }

  has(id: string): boolean {
    return this._byId.has(id)
  }

  /** Every message of a room leaves the index (the room was left). */
  forgetRoom(room: string): void {
    for (const doc of this._docs) if (doc !== null && doc[1] === room) this._drop(doc[0])
    this.upTo.delete(room)
    this._changed = true
  }

  /** Notes how far the index holds a room's messages and changes. */
  mark(room: string, upTo: IndexedUpTo): void {
    const now = this.upTo.get(room)
    if (now?.messages === upTo.messages && now.changes === upTo.changes) return
    this.upTo.set(room, { ...upTo })
    this._changed = true
  }

  /** Newest first: the messages with every word of the query, the last one also as a prefix. */
  query(text: string, opts: { room?: string; limit: number }): SearchHit[] {
    const words = text
      .split(WORD_BREAK)
      .map(searchTerm)
      .filter((t): t is string => t !== null)
      .slice(0, MAX_QUERY_WORDS)
    if (words.length === 0) return []
    // counts[n]: how many of the query's words message n holds so far
    const counts = new Uint8Array(this._docs.length)
    for (const [i, word] of words.entries()) {
      const lists: number[][] = []
      if (i === words.length - 1)
        for (const list of this._terms.atPrefix(word).values()) lists.push(list)
      else {
        const list = this._terms.get(word)
        if (list !== undefined) lists.push(list)
      }
      if (lists.length === 0) return []
      for (const list of lists) for (const n of list) if (counts[n] === i) counts[n] = i + 1
    }
    // the newest `limit` of them, kept sorted newest first as the matches are walked
    const best: Array<NonNullable<Doc>> = []
    const newer = (a: NonNullable<Doc>, b: NonNullable<Doc>): boolean =>
      a[3] > b[3] || (a[3] === b[3] && a[2] > b[2])
    for (let n = counts.length - 1; n >= 0; n--) {
      const doc = this._docs[n]
      if (counts[n] !== words.length || doc === null) continue
      if (opts.room !== undefined && doc[1] !== opts.room) continue
      if (best.length === opts.limit && !newer(doc, best[best.length - 1])) continue
      let at = best.length
      while (at > 0 && newer(doc, best[at - 1])) at--
      best.splice(at, 0, doc)
      if (best.length > opts.limit) best.pop()
    }
    return best.map(([id, room, seq, timestamp]) => ({ id, room, seq, timestamp }))
  }

  toJSON(): string {
    this._changed = false
    if (this._dead > this._byId.size) this._compact()
    const terms: Array<[string, number[]]> = [...this._terms]
    return JSON.stringify({ format: FORMAT, upTo: [...this.upTo], docs: this._docs, terms })
  }

  /** Null for anything this version did not write (the index is then rebuilt from the rooms). */
  static fromJSON(json: string): SearchIndex | null {
    try {
      const parsed = JSON.parse(json) as {
        format?: unknown
        upTo?: unknown
        docs?: unknown
        terms?: unknown
      }
      if (parsed.format !== FORMAT || !Array.isArray(parsed.upTo)) return null
      if (!Array.isArray(parsed.docs) || !Array.isArray(parsed.terms)) return null
      const upTo = new Map<string, IndexedUpTo>()
      for (const entry of parsed.upTo as unknown[]) {
        if (!Array.isArray(entry) || typeof entry[0] !== 'string') return null
        const mark = entry[1] as Partial<IndexedUpTo> | null
        if (!Number.isSafeInteger(mark?.messages) || !Number.isSafeInteger(mark?.changes))
          return null
        upTo.set(entry[0], { messages: mark?.messages as number, changes: mark?.changes as number })
      }
      const docs = parsed.docs as unknown[]
      if (!docs.every(isDoc)) return null
      const terms = new SearchableMap<number[]>()
      for (const entry of parsed.terms as unknown[]) {
        if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1]))
          return null
        const list = entry[1] as unknown[]
        if (
          !list.every(
            (n) => Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) < docs.length
          )
        )
          return null
        terms.set(entry[0], list as number[])
      }
      return new SearchIndex(terms, docs as Doc[], upTo)
    } catch {
      return null
    }
  }

  private _drop(id: string): void {
    const n = this._byId.get(id)
    if (n === undefined) return
    this._docs[n] = null
    this._byId.delete(id)
    this._dead++
  }

  /** Numbers the messages still indexed anew, in order, and drops the others from the lists. */
  private _compact(): void {
    const renumbered = new Int32Array(this._docs.length).fill(-1)
    const docs: Doc[] = []
    for (const [n, doc] of this._docs.entries()) {
      if (doc === null) continue
      renumbered[n] = docs.length
      this._byId.set(doc[0], docs.length)
      docs.push(doc)
    }
    for (const [term, list] of this._terms) {
      const kept: number[] = []
      for (const n of list) if (renumbered[n] !== -1) kept.push(renumbered[n])
      if (kept.length === 0) this._terms.delete(term)
      else this._terms.set(term, kept)
    }
    this._docs = docs
    this._dead = 0
  }
}
