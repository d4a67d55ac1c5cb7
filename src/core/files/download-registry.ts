import path from 'path'
import { readJsonFile, writeJsonFile } from '../storage/json-file.js'

/** A download this device was asked for, kept across restarts. */
export interface DownloadEntry {
  room: string
  message: string
  /** The folder it saves into. */
  out: string
  /** Unfinished downloads resume when their room opens. */
  state: 'downloading' | 'done' | 'cancelled'
  path: string | null
  /** Saved in the data dir's media folder for an inline preview, not where a person asked. */
  preview?: boolean
}

/** downloads.json in the data dir: what was asked for and where each finished file went. */
export class DownloadRegistry {
  readonly file: string
  private _entries: Map<string, DownloadEntry>

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'downloads.json')
    this._entries = new Map()
  }

  async load(): Promise<void> {
    const raw = await readJsonFile(this.file, 'delete it: finished files stay where they are')
    this._entries.clear()
    const list = Array.isArray((raw as { downloads?: unknown } | null)?.downloads)
      ? (raw as { downloads: unknown[] }).downloads
      : []
    for (const item of list) {
      const e = item as Partial<DownloadEntry>
      if (typeof e.room !== 'string' || typeof e.message !== 'string') continue
      if (typeof e.out !== 'string') continue
      const state = e.state === 'done' || e.state === 'cancelled' ? e.state : 'downloading'
      const saved = typeof e.path === 'string' ? e.path : null
      this._entries.set(keyOf(e.room, e.message), {
        room: e.room,
        message: e.message,
        out: e.out,
        state,
        path: saved,
        preview: e.preview === true
      })
    }
  }

  get(room: string, message: string): DownloadEntry | null {
    return this._entries.get(keyOf(room, message)) ?? null
  }

  unfinished(room: string): DownloadEntry[] {
    return [...this._entries.values()].filter((e) => e.room === room && e.state === 'downloading')
  }

  async put(entry: DownloadEntry): Promise<void> {
    this._entries.set(keyOf(entry.room, entry.message), { ...entry })
    await writeJsonFile(this.file, { downloads: [...this._entries.values()] })
  }
}

function keyOf(room: string, message: string): string {
  return room + '/' + message
}
