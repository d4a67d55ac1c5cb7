import path from 'path'
import { RoostError } from '../../shared/api/errors.js'
import { readJsonFile, writeJsonFile } from '../storage/json-file.js'

export interface RoomEntry {
  /** Room key, z32. */
  key: string
  /** Hex; the room's secret, kept only in the data dir (mode 0600). */
  encryptionKey: string
  /** Corestore namespace of the room's cores, hex. */
  namespace: string
  joinedAt: number
  lastRead: string | null
  /** Absent in files from before it existed: 'all'. */
  notify?: 'all' | 'mentions' | 'none'
  /** Fetch every file others send here as it arrives; absent: no. */
  autoDownload?: boolean
}

const DEFER_MS = 500
const RECOVERY =
  'restore it from a backup (without it Roost forgets which rooms you are in; their data stays in store/)'

/** The rooms this data dir belongs to, persisted as rooms.json (written atomically). */
export class RoomRegistry {
  readonly file: string
  private _entries: Map<string, RoomEntry>
  private _writing: Promise<void>
  private _deferred: NodeJS.Timeout | null

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'rooms.json')
    this._entries = new Map()
    this._writing = Promise.resolve()
    this._deferred = null
  }

  async load(): Promise<void> {
    const raw = (await readJsonFile(this.file, RECOVERY)) as { rooms?: unknown } | null
    if (raw === null) return
    if (typeof raw !== 'object' || !Array.isArray(raw.rooms) || !raw.rooms.every(isEntry)) {
      throw RoostError.dataFileCorrupt(this.file, 'is not a list of rooms', RECOVERY)
    }
    for (const entry of raw.rooms) this._entries.set(entry.key, entry)
  }

  get entries(): RoomEntry[] {
    return [...this._entries.values()]
  }

  get(key: string): RoomEntry | null {
    return this._entries.get(key) ?? null
  }

  async put(entry: RoomEntry): Promise<void> {
    this._entries.set(entry.key, entry)
    await this._save()
  }

  async delete(key: string): Promise<void> {
    this._entries.delete(key)
    await this._save()
  }

  /** Read markers change on every send: saved within DEFER_MS, or at close, not one fsync each. */
  setLastRead(key: string, lastRead: string): RoomEntry | null {
    const entry = this._entries.get(key)
    if (entry === undefined) return null
    const updated = { ...entry, lastRead }
    this._entries.set(key, updated)
    if (this._deferred === null) {
      this._deferred = setTimeout(() => {
        this._deferred = null
        this._save().catch(() => {})
      }, DEFER_MS)
    }
    return updated
  }

  /** Writes any deferred change now. */
  async flush(): Promise<void> {
    if (this._deferred !== null) {
      clearTimeout(this._deferred)
      this._deferred = null
      await this._save()
    }
    await this._writing
  }

  private _save(): Promise<void> {
    // writeJsonFile serialises writes per file: an older snapshot never lands after a newer one
    this._writing = writeJsonFile(this.file, { version: 1, rooms: this.entries })
    return this._writing
  }
}

function isEntry(value: unknown): value is RoomEntry {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Record<string, unknown>
  return (
    typeof entry.key === 'string' &&
    typeof entry.encryptionKey === 'string' &&
    typeof entry.namespace === 'string' &&
    typeof entry.joinedAt === 'number' &&
    (entry.lastRead === null || typeof entry.lastRead === 'string')
  )
}
