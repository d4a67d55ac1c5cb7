import crypto from 'crypto'
import fs from 'fs/promises'
import path from 'path'
import b4a from 'b4a'
import { MAX_UPLOAD_CHUNK_BYTES, RoostError } from '../../shared/api/errors.js'

const UPLOADS_DIR = 'uploads'

/**
 * Files a client without a path (a browser, the Electron window) sends in chunks before
 * `sendFile` takes them: `uploads/<token>` in the data dir, mode 0600.
 */
export class UploadStaging {
  private _dir: string

  constructor(dataDir: string) {
    this._dir = path.join(dataDir, UPLOADS_DIR)
  }

  /** Appends base64 `data` to the staging `token` (a new one when null); the bytes staged. */
  async append(token: string | null, data: string): Promise<{ staged: string; bytes: number }> {
    const bytes = b4a.from(data, 'base64')
    if (bytes.byteLength > MAX_UPLOAD_CHUNK_BYTES)
      throw RoostError.invalidArgument(`A chunk is at most ${MAX_UPLOAD_CHUNK_BYTES} bytes`)
    if (token === null) {
      const made = crypto.randomBytes(16).toString('hex')
      await fs.mkdir(this._dir, { recursive: true, mode: 0o700 })
      await fs.writeFile(this._file(made), bytes, { mode: 0o600, flag: 'wx' })
      return { staged: made, bytes: bytes.byteLength }
    }
    // never recreated: chunks after a restart cleared the start would make a shorter file
    const file = await this.pathOf(token)
    await fs.appendFile(file, bytes)
    return { staged: token, bytes: (await fs.stat(file)).size }
  }

  /** A staging's file; UPLOAD_NOT_FOUND for a token that is not one (or is gone). */
  async pathOf(token: string): Promise<string> {
    if (!/^[0-9a-f]{32}$/.test(token)) throw RoostError.uploadNotFound(token)
    const file = this._file(token)
    const found = await fs.stat(file).then(
      (s) => s.isFile(),
      () => false
    )
    if (!found) throw RoostError.uploadNotFound(token)
    return file
  }

  async remove(token: string): Promise<void> {
    if (/^[0-9a-f]{32}$/.test(token)) await fs.rm(this._file(token), { force: true })
  }

  /**
   * Removes what was staged before this start: one core holds the data dir, so nothing is in
   * flight, and a page that closed mid-upload would otherwise leave its part for good.
   */
  async clear(): Promise<void> {
    await fs.rm(this._dir, { recursive: true, force: true })
  }

  private _file(token: string): string {
    return path.join(this._dir, token)
  }
}
