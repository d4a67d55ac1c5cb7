import path from 'path'
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
}

/** The rooms this data dir belongs to, persisted as rooms.json (written atomically). */
export class RoomRegistry {
  readonly file: string
  private _entries: Map<string, RoomEntry>
  private _writing: Promise<void>

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'rooms.json')
    this._entries = new Map()
    this._writing = Promise.resolve()
  }

  async load(): Promise<void> {
    const raw = (await readJsonFile(this.file)) as { rooms?: RoomEntry[] } | null
    for (const entry of raw?.rooms ?? []) this._entries.set(entry.key, entry)
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

  private _save(): Promise<void> {
    // serialise writes so an older snapshot never lands after a newer one
    const snapshot = { version: 1, rooms: this.entries }
    this._writing = this._writing.catch(() => {}).then(() => writeJsonFile(this.file, snapshot))
    return this._writing
  }
}
