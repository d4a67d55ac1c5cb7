import crypto from 'crypto'
import fs from 'fs'
import path from 'path'
import type Hypercore from 'hypercore'
import type { FileTransferState } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { ContentHash, FILE_BLOCK_BYTES, xorAt } from './file-crypto.js'
import type { FileDescriptor } from './file-descriptor.js'
import { numberedName, safeFileName } from './file-name.js'

/** Progress events at most this often while bytes arrive. */
const PROGRESS_MS = 100
/** How many names `name (n)` are tried before giving up on a free one. */
const MAX_NAME_TRIES = 1000

export interface DownloadProgress {
  state: FileTransferState
  /** Bytes of the file held locally (in the blobs core). */
  bytes: number
  /** Bytes fetched from peers by this download. */
  fetched: number
}

/**
 * One file fetched from its blobs core, opened and saved: blocks stream in order (the rest
 * prefetched by one range), each opened and hashed, into a hidden partial file beside the
 * target, which is renamed to a free name only once its hash matched. Blocks already held are
 * read locally, so a download that stopped (a drop, a restart, kill -9) fetches only the rest.
 */
export class FileDownload {
  readonly progress: DownloadProgress
  private _core: Hypercore
  private _file: FileDescriptor
  private _out: string
  private _onProgress: (p: DownloadProgress) => void
  private _cancelled: boolean
  private _session: Hypercore | null
  private _lastEmit: number

  constructor(
    core: Hypercore,
    file: FileDescriptor,
    out: string,
    onProgress: (p: DownloadProgress) => void
  ) {
    this._core = core
    this._file = file
    this._out = out
    this._onProgress = onProgress
    this._cancelled = false
    this._session = null
    this._lastEmit = 0
    this.progress = { state: 'waiting', bytes: 0, fetched: 0 }
  }

  /** Bytes of `file` a blobs core holds. */
  static async heldBytes(core: Hypercore, file: FileDescriptor): Promise<number> {
    const { blockOffset, blockLength } = file.blob
    // blocks past the core's length are held by nobody: a hostile blob id may name billions
    const end = Math.min(blockOffset + blockLength, core.length)
    if (end <= blockOffset) return 0
    if (end === blockOffset + blockLength && (await core.has(blockOffset, end))) return file.size
    let bytes = 0
    for (let i = 0; i < end - blockOffset; i++) {
      if (await core.has(blockOffset + i)) bytes += blockBytes(file, i)
    }
    return bytes
  }

  cancel(): void {
    this._cancelled = true
    this._session?.close().catch(() => {})
  }

  /** The saved file's path; throws a RoostError (cancelled, hash mismatch, disk full…). */
  async run(): Promise<string> {
    const name = safeFileName(this._file.name)
    await fs.promises.mkdir(this._out, { recursive: true })
    // one per file, stable across restarts: two files of one name may download side by side
    const tag = crypto
      .createHash('sha256')
      .update(this._file.core)
      .update(String(this._file.blob.blockOffset))
      .digest('hex')
      .slice(0, 8)
    const partial = path.join(this._out, `.${name}.${tag}.roost-part`)
    this.progress.bytes = await FileDownload.heldBytes(this._core, this._file)
    this._emit(true)
    try {
      // a hash mismatch clears what arrived and fetches it once more before failing
      for (let attempt = 0; ; attempt++) {
        const hash = await this._fetchInto(partial)
        if (hash.equals(this._file.hash)) break
        await this._core.clear(this._file.blob.blockOffset, this._blobEnd())
        this.progress.bytes = 0
        if (attempt === 1) throw RoostError.fileHashMismatch(name)
      }
      const saved = await linkFree(partial, this._out, name)
      this.progress.state = 'done'
      return saved
    } finally {
      await fs.promises.rm(partial, { force: true }).catch(() => {})
    }
  }

  private _blobEnd(): number {
    return this._file.blob.blockOffset + this._file.blob.blockLength
  }

  private async _fetchInto(partial: string): Promise<Buffer> {
    const { blockOffset, blockLength } = this._file.blob
    const session = this._core.session()
    this._session = session
    const onPeers = (): void => this._emit(true)
    const onDownload = (index: number, bytes: number): void => {
      if (index < blockOffset || index >= this._blobEnd()) return
      this.progress.fetched += bytes
      this.progress.bytes += blockBytes(this._file, index - blockOffset)
      this._emit(false)
    }
    session.on('download', onDownload)
    session.on('peer-add', onPeers)
    session.on('peer-remove', onPeers)
    const handle = await fs.promises.open(partial, 'w', 0o600)
    const range =
      blockLength > 0 ? session.download({ start: blockOffset, end: this._blobEnd() }) : null
    const hash = new ContentHash()
    try {
      for (let i = 0; i < blockLength; i++) {
        if (this._cancelled) throw RoostError.downloadCancelled(this._file.name)
        const block = await session.get(blockOffset + i).catch((err: unknown) => {
          if (this._cancelled) throw RoostError.downloadCancelled(this._file.name)
          throw err
        })
        if (block === null || block.byteLength !== blockBytes(this._file, i))
          throw RoostError.fileHashMismatch(safeFileName(this._file.name))
        const plain = xorAt(block, i * FILE_BLOCK_BYTES, this._file.key)
        hash.update(plain)
        await handle.write(plain)
      }
      await handle.sync()
      return hash.digest()
    } finally {
      range?.destroy()
      session.off('download', onDownload)
      session.off('peer-add', onPeers)
      session.off('peer-remove', onPeers)
      await handle.close().catch(() => {})
      this._session = null
      await session.close().catch(() => {})
    }
  }

  private _emit(force: boolean): void {
    if (this.progress.state !== 'done') {
      const complete = this.progress.bytes >= this._file.size
      this.progress.state = complete || this._core.peers.length > 0 ? 'downloading' : 'waiting'
    }
    const now = Date.now()
    if (!force && now - this._lastEmit < PROGRESS_MS) return
    this._lastEmit = now
    this._onProgress({ ...this.progress })
  }
}

/** The bytes block `i` of a file's blob holds: all but the last are full. */
function blockBytes(file: FileDescriptor, i: number): number {
  return Math.min(FILE_BLOCK_BYTES, file.size - i * FILE_BLOCK_BYTES)
}

/**
 * Gives `partial` the first free name of `name`, `name (2)`… in `dir` without ever replacing a
 * file (a hard link fails when the name is taken); the partial name is removed by the caller.
 */
async function linkFree(partial: string, dir: string, name: string): Promise<string> {
  for (let n = 1; n <= MAX_NAME_TRIES; n++) {
    const target = path.join(dir, numberedName(name, n))
    try {
      await fs.promises.link(partial, target)
      return target
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EEXIST') continue
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err
      // no hard links here (FAT, some network shares): copy, refusing an existing name
      try {
        await fs.promises.copyFile(partial, target, fs.constants.COPYFILE_EXCL)
        return target
      } catch (copyErr) {
        if ((copyErr as NodeJS.ErrnoException).code === 'EEXIST') continue
        throw copyErr
      }
    }
  }
  throw RoostError.invalidArgument(`No free name for ${name} in ${dir}`)
}
