import crypto from 'crypto'
import fs from 'fs/promises'
import { createFileAtomic } from '../storage/atomic-write.js'
import { isListening } from './control-client.js'
import type { HolderKind } from './hello.js'

/** What a lock file in the data dir says about its holder. */
export interface HolderRecord {
  version: 1
  kind: HolderKind
  pid: number
  /** What holds it, for messages: `roost status`, `roost serve`, `Roost`. */
  command: string
  /** The holder's control socket: while it answers, the lock is live. */
  socket: string
}

/**
 * A lock file whose holder proves it is alive by listening on the socket the file names. It is
 * created whole (a hard link of a complete temp file), so readers never see half a record; a
 * file whose socket nobody answers is left by a crashed process and is broken.
 */
export class HolderFile {
  readonly file: string
  private _mine: string | null

  constructor(file: string) {
    this.file = file
    this._mine = null
  }

  get held(): boolean {
    return this._mine !== null
  }

  /** Takes the lock for record; null when taken, else the live holder's record. */
  async take(record: HolderRecord): Promise<HolderRecord | null> {
    const text = JSON.stringify(record) + '\n'
    for (;;) {
      if (await createFileAtomic(this.file, text)) {
        this._mine = text
        return null
      }
      const live = await this.live()
      if (live !== null) return live
    }
  }

  /** The live holder, or null when the lock is free (a stale file is broken on the way). */
  async live(): Promise<HolderRecord | null> {
    for (;;) {
      const text = await fs.readFile(this.file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null
        throw err
      })
      if (text === null) return null
      const record = parseRecord(text)
      if (record !== null && (await isListening(record.socket))) return record
      await this._breakStale(text)
    }
  }

  /** Lets go, if the file is still ours (nobody breaks a lock whose socket answers). */
  async release(): Promise<void> {
    const mine = this._mine
    if (mine === null) return
    this._mine = null
    const text = await fs.readFile(this.file, 'utf8').catch(() => null)
    if (text === mine) await fs.rm(this.file, { force: true })
  }

  /**
   * Removes the file if it still holds `seen`. It is moved aside first, atomically, so of two
   * processes breaking it at once only one removes it; a fresh lock moved aside by mistake is
   * put back.
   */
  private async _breakStale(seen: string): Promise<void> {
    const aside = `${this.file}.stale-${process.pid}-${crypto.randomBytes(4).toString('hex')}`
    try {
      await fs.rename(this.file, aside)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
      throw err
    }
    const moved = await fs.readFile(aside, 'utf8')
    if (moved !== seen) await fs.link(aside, this.file).catch(() => {})
    await fs.rm(aside, { force: true })
  }
}

function parseRecord(text: string): HolderRecord | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { kind, pid, command, socket } = value as Record<string, unknown>
  if (kind !== 'long-running' && kind !== 'one-shot') return null
  if (typeof pid !== 'number' || typeof command !== 'string' || typeof socket !== 'string') {
    return null
  }
  return { version: 1, kind, pid, command, socket }
}
