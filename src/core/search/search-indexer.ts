import fs from 'fs/promises'
import path from 'path'
import type { Message } from '../../shared/api/contract.js'
import type { JoinedRoom } from '../rooms/joined-room.js'
import type { StoredMessage } from '../rooms/ops.js'
import { writeFileAtomic } from '../storage/atomic-write.js'
import { openSealedText, sealText } from '../storage/sealed-text.js'
import { SearchIndex, type SearchHit } from './search-index.js'

/** Changes are written to disk this long after the last one (and when the core closes). */
const SAVE_AFTER_MS = 3000
/**
 * The index is read from disk and caught up this long after the core opens (or at the first
 * search): parsing a large index takes the event loop for a while, and opening comes first.
 */
const WARM_UP_AFTER_MS = 3000
/** A reorder may move messages this far back: catching up re-reads that many before the mark. */
const REORDER_MARGIN = 256
const PAGE = 500

/** A deleted message's text is '': it leaves the index. */
function putAll(index: SearchIndex, room: string, messages: Message[]): void {
  for (const m of messages) index.put(room, m.id, m.seq, m.timestamp, m.deleted ? '' : m.text)
}

/**
 * Keeps the device's search index (`search-index` in the data dir, sealed with a key of the
 * identity's, so the file alone reads as nothing) up to date: every message a room announces or
 * changes, and on open whatever the view gained since the index last saw it. A missing or
 * unreadable file is rebuilt from the rooms. All work goes through one queue, so an event's text
 * never loses to an older read of the view. Until the index is loaded, events are not needed:
 * the catch-up that follows the load reads the view as it is then.
 */
export class SearchIndexer {
  readonly file: string
  private _key: () => Buffer
  private _index: SearchIndex | null
  private _queue: Promise<void>
  private _saveTimer: ReturnType<typeof setTimeout> | null
  private _detachers: Map<string, () => void>
  private _warmUp: Promise<void> | null
  private _warmUpTimer: ReturnType<typeof setTimeout> | null
  private _attached: Map<string, JoinedRoom>
  /**
   * Per room whose catch-up is done, the highest message position (seq + 1) put since: what the
   * index holds up to. A scan cut short by a close leaves out only messages after it.
   */
  private _heldUpTo: Map<string, number>
  private _closed: boolean
  /** Where the index came from: the file, or built anew (no file, or one it could not read). */
  loadedFrom: 'disk' | 'rebuilt' | null

  constructor(dataDir: string, key: () => Buffer) {
    this.file = path.join(dataDir, 'search-index')
    this._key = key
    this._index = null
    this._queue = Promise.resolve()
    this._saveTimer = null
    this._detachers = new Map()
    this._warmUp = null
    this._warmUpTimer = null
    this._attached = new Map()
    this._heldUpTo = new Map()
    this._closed = false
    this.loadedFrom = null
  }

  /** Follows a room's messages from now on, and catches the index up on what it missed. */
  attach(joined: JoinedRoom): void {
    const onMessage = (message: Message): void => this._put(joined.id, [message])
    joined.on('message', onMessage)
    joined.on('changed', onMessage)
    this._detachers.set(joined.id, () => {
      joined.off('message', onMessage)
      joined.off('changed', onMessage)
    })
    this._attached.set(joined.id, joined)
    if (this._warmUp !== null) this._enqueue(() => this._catchUp(joined))
    else if (this._warmUpTimer === null && !this._closed)
      this._warmUpTimer = setTimeout(() => void this._warmedUp(), WARM_UP_AFTER_MS)
  }

  detach(room: string): void {
    this._detachers.get(room)?.()
    this._detachers.delete(room)
    const joined = this._attached.get(room)
    // after the puts of what it announced last, which are queued before this
    if (joined !== undefined) this._enqueue(async () => this._mark(room))
    this._attached.delete(room)
  }

  /** Moves the room's mark to the messages put since its catch-up (changes: see _catchUp). */
  private _mark(room: string): void {
    const held = this._heldUpTo.get(room)
    const upTo = this._index?.upTo.get(room)
    if (held === undefined || upTo === undefined || held <= upTo.messages) return
    this._index?.mark(room, { messages: held, changes: upTo.changes })
  }

  /** Loads the index and catches every attached room up, once. */
  private _warmedUp(): Promise<void> {
    if (this._warmUpTimer !== null) clearTimeout(this._warmUpTimer)
    this._warmUpTimer = null
    if (this._warmUp === null) {
      this._enqueue(async () => {
        await this._load()
      })
      for (const joined of this._attached.values()) this._enqueue(() => this._catchUp(joined))
      this._warmUp = this._queue
    }
    return this._warmUp
  }

  /** The room was left: its messages leave the index. */
  forget(room: string): void {
    this.detach(room)
    this._enqueue(async () => (await this._load()).forgetRoom(room))
    this._heldUpTo.delete(room)
  }

  async search(query: string, opts: { room?: string; limit: number }): Promise<SearchHit[]> {
    await this._warmedUp()
    await this._queue
    return (await this._load()).query(query, opts)
  }

  /** Loads the index now and waits for the work queued so far (tests, benchmarks). */
  async idle(): Promise<void> {
    await this._warmedUp()
    await this._queue
  }

  /** Stops following the rooms and writes what changed. */
  async close(): Promise<void> {
    for (const room of [...this._detachers.keys()]) this.detach(room)
    this._closed = true
    if (this._warmUpTimer !== null) clearTimeout(this._warmUpTimer)
    this._warmUpTimer = null
    if (this._saveTimer !== null) clearTimeout(this._saveTimer)
    this._saveTimer = null
    await this._queue
    await this._save()
  }

  private _enqueue(task: () => Promise<void>): void {
    // one failed step (a view closing under a read) must not stop the ones after it
    this._queue = this._queue.then(task).catch(() => {})
  }

  private _put(room: string, messages: Message[]): void {
    if (this._warmUp === null) return
    this._enqueue(async () => {
      putAll(await this._load(), room, messages)
      const held = this._heldUpTo.get(room)
      if (held !== undefined) {
        this._heldUpTo.set(room, Math.max(held, ...messages.map((m) => m.seq + 1)))
      }
      this._scheduleSave()
    })
  }

  /** Messages from the mark (less a reorder's depth) and the changes since, as they are now. */
  private async _catchUp(joined: JoinedRoom): Promise<void> {
    const index = await this._load()
    const room = joined.room
    const messages = await room.messageCount()
    const changes = await room.conversation.changeCount()
    const upTo = index.upTo.get(joined.id)
    if (upTo?.messages === messages && upTo.changes === changes) return
    const fromSeq = upTo === undefined ? 0 : Math.max(0, upTo.messages - REORDER_MARGIN)
    let before: number | null = null
    for (;;) {
      const page = await room.messagesBefore(before, PAGE)
      const wanted = page.messages.filter((m) => m.seq >= fromSeq)
      putAll(index, joined.id, await joined.readable(wanted))
      if (!page.hasMore || wanted.length < page.messages.length || page.messages.length === 0) break
      before = page.messages[0].seq
      if (this._closed) return
    }
    if (upTo !== undefined && changes > upTo.changes) {
      const changed: StoredMessage[] = []
      for (const id of await room.conversation.changedSince(upTo.changes, changes - upTo.changes)) {
        const stored = await room.messageById(id)
        if (stored !== null) changed.push(stored)
      }
      putAll(index, joined.id, await joined.readable(changed))
    }
    // changes that come as events later are not counted: the next catch-up reads them again
    index.mark(joined.id, { messages, changes })
    this._heldUpTo.set(joined.id, Math.max(messages, this._heldUpTo.get(joined.id) ?? 0))
    this._scheduleSave()
  }

  private async _load(): Promise<SearchIndex> {
    if (this._index !== null) return this._index
    const index = await this._read()
    this.loadedFrom = index === null ? 'rebuilt' : 'disk'
    this._index = index ?? new SearchIndex()
    return this._index
  }

  /** Null when missing or unreadable: it is then rebuilt from the rooms as they catch up. */
  private async _read(): Promise<SearchIndex | null> {
    try {
      const sealed = await fs.readFile(this.file, 'utf8')
      const json = openSealedText(sealed.trim(), this._key())
      return json === null ? null : SearchIndex.fromJSON(json)
    } catch {
      return null
    }
  }

  private _scheduleSave(): void {
    if (this._saveTimer !== null || this._closed) return
    this._saveTimer = setTimeout(() => {
      this._saveTimer = null
      this._enqueue(() => this._save())
    }, SAVE_AFTER_MS)
  }

  private async _save(): Promise<void> {
    for (const room of this._attached.keys()) this._mark(room)
    const index = this._index
    if (index === null || !index.changed) return
    await writeFileAtomic(this.file, sealText(index.toJSON(), this._key()) + '\n')
  }
}
