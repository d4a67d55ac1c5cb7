import fs from 'fs/promises'
import os from 'os'
import path from 'path'
import b4a from 'b4a'
import z32 from 'z32'
import type {
  DownloadOptions,
  FileTransfer,
  Message,
  SendFileOptions,
  StageUploadOptions
} from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { DownloadRegistry, type DownloadEntry } from '../files/download-registry.js'
import { FileDownload, type DownloadProgress } from '../files/file-download.js'
import type { FileDescriptor } from '../files/file-descriptor.js'
import { RoomBlobs } from '../files/room-blobs.js'
import type { JoinedRoom } from '../rooms/joined-room.js'
import type { StoredMessage } from '../rooms/ops.js'
import { expectOptionalObject, expectString } from '../validate.js'
import type { CoreContext } from './core-context.js'
import { FileSending } from './file-sending.js'
import type { MessagesService } from './messages-service.js'
import { diskFullOr } from '../storage/disk-full.js'

/** How many of a room's newest files `files()` lists. */
const MAX_FILES_LISTED = 500
/** Where images shown inline are kept (DownloadOptions.preview). */
const MEDIA_DIR = 'media'

interface Running {
  /** Null until the download has what it needs to start. */
  download: FileDownload | null
  cancelled: boolean
  done: Promise<FileTransfer>
}

/** Sending files, the room's file list and downloads (see files/ for how bytes move). */
export class FilesService {
  private _ctx: CoreContext
  private _blobs: WeakMap<JoinedRoom, RoomBlobs>
  private _running: Map<string, Running>
  /** The last failure of a download, by room/message, until it is asked for again. */
  private _failed: Map<string, { code: string; message: string }>
  readonly registry: DownloadRegistry
  readonly sending: FileSending

  constructor(ctx: CoreContext, messages: MessagesService) {
    this._ctx = ctx
    this._blobs = new WeakMap()
    this._running = new Map()
    this._failed = new Map()
    this.registry = new DownloadRegistry(ctx.dataDir)
    this.sending = new FileSending(ctx, messages, (joined) => this.blobsOf(joined))
    ctx.events.subscribe('onDidReceiveMessage', ({ room, message }) => this._arrived(room, message))
  }

  /** A room set to download files as they arrive fetches others' files into the downloads folder. */
  private _arrived(room: string, message: Message): void {
    if (message.file === null || message.file.unreadable || this._ctx.closing) return
    const joined = this._ctx.rooms.get(room)
    if (joined?.entry.autoDownload !== true || message.author === z32.encode(joined.me)) return
    if (this.registry.get(room, message.id) !== null) return
    this.download(room, message.id).catch(() => {}) // a failure shows on the file's card
  }

  blobsOf(joined: JoinedRoom): RoomBlobs {
    let blobs = this._blobs.get(joined)
    if (blobs === undefined) {
      const made = new RoomBlobs(joined.room, (core) => {
        joined.ownBlobs = core
        this._ctx.mirroring?.mirrorBlobs(joined.room, core).catch(() => {})
      })
      joined.room.base.once('close', () => {
        made.close().catch(() => {})
      })
      this._blobs.set(joined, made)
      blobs = made
    }
    return blobs
  }

  sendFile(ref: string, opts: SendFileOptions): Promise<Message> {
    return this.sending.send(ref, opts)
  }

  cancelSend(ref: string, upload: string, staged?: string): Promise<boolean> {
    return this.sending.cancel(ref, upload, staged)
  }

  stageUpload(opts: StageUploadOptions): Promise<{ staged: string; bytes: number }> {
    return this.sending.stage(opts)
  }

  async files(ref: string): Promise<FileTransfer[]> {
    const joined = this._ctx.joined(ref)
    const stored = await joined.room.fileMessages(MAX_FILES_LISTED)
    const transfers: FileTransfer[] = []
    for (const s of stored) {
      const transfer = await this._transferOf(joined, s)
      if (transfer !== null) transfers.push(transfer)
    }
    return transfers
  }

  async fileTransfer(ref: string, id: string): Promise<FileTransfer> {
    const joined = this._ctx.joined(ref)
    const stored = await this._fileMessage(joined, expectString(id, 'message id'))
    const transfer = await this._transferOf(joined, stored.message)
    if (transfer === null) throw RoostError.notAFile(id)
    return transfer
  }

  private async _fileMessage(
    joined: JoinedRoom,
    id: string
  ): Promise<{ message: StoredMessage; file: FileDescriptor }> {
    const message = await joined.room.messageById(id)
    if (message === null) throw RoostError.messageNotFound(id)
    const file = message.deleted === true ? null : joined.keyring.fileOf(message)
    if (!file) throw RoostError.notAFile(id)
    return { message, file }
  }

  /** Where a file stands here; null for a message this device cannot read. */
  private async _transferOf(
    joined: JoinedRoom,
    stored: StoredMessage
  ): Promise<FileTransfer | null> {
    const [message] = await joined.readable([stored])
    if (message === undefined || message.file === null) return null
    const key = keyOf(joined.id, message.id)
    const mine = b4a.equals(stored.author, joined.me)
    const base = { room: joined.id, message: message.id, file: message.file, mine }
    const descriptor = joined.keyring.fileOf(stored)
    if (!descriptor)
      return { ...base, state: 'remote', bytes: 0, percent: 0, fetched: 0, path: null, error: null }
    const running = this._running.get(key)
    if (running?.download) return transferFrom(base, descriptor, running.download.progress, null)
    const entry = this.registry.get(joined.id, message.id)
    if (entry?.state === 'done' && entry.path !== null && (await exists(entry.path)))
      return {
        ...base,
        state: 'done',
        bytes: descriptor.size,
        percent: 100,
        fetched: 0,
        path: entry.path,
        preview: entry.preview === true,
        error: null
      }
    const core = await this.blobsOf(joined).core(descriptor.core)
    const bytes = await FileDownload.heldBytes(core, descriptor)
    const error = this._failed.get(key) ?? null
    const state =
      error !== null
        ? 'failed'
        : entry?.state === 'cancelled'
          ? 'cancelled'
          : mine
            ? 'done'
            : 'remote'
    return transferFrom(base, descriptor, { state, bytes, fetched: 0 }, null, error)
  }

  async download(ref: string, id: string, opts?: DownloadOptions): Promise<FileTransfer> {
    const joined = this._ctx.joined(ref)
    const messageId = expectString(id, 'message id')
    const key = keyOf(joined.id, messageId)
    // registered before the first await: a second call (or the resume at start) joins this one
    const running = this._running.get(key)
    if (running !== undefined) return running.done
    const entry: Running = {
      download: null,
      cancelled: false,
      done: Promise.resolve(null as never)
    }
    entry.done = this._download(joined, messageId, expectOptionalObject(opts, 'options'), entry)
    this._running.set(key, entry)
    try {
      return await entry.done
    } finally {
      if (this._running.get(key) === entry) this._running.delete(key)
    }
  }

  private async _download(
    joined: JoinedRoom,
    id: string,
    options: Record<string, unknown>,
    entry: Running
  ): Promise<FileTransfer> {
    const { message, file } = await this._fileMessage(joined, id)
    const previous = this.registry.get(joined.id, id)
    const preview = options.preview === true
    // saved already: the same file again, not a second copy (but a preview is no saved file)
    const saved = previous?.state === 'done' && previous.path !== null
    if (saved && (preview || previous.preview !== true) && (await exists(previous.path as string)))
      return this.fileTransfer(joined.id, id)
    const out = path.resolve(
      preview
        ? path.join(this._ctx.dataDir, MEDIA_DIR)
        : options.out !== undefined
          ? expectString(options.out, 'out')
          : previous?.preview !== true && previous?.out !== undefined
            ? previous.out
            : downloadsDir()
    )
    const core = await this.blobsOf(joined).core(file.core)
    const [readable] = await joined.readable([message])
    if (readable?.file == null) throw RoostError.notAFile(id)
    const base = {
      room: joined.id,
      message: id,
      file: readable.file,
      mine: b4a.equals(message.author, joined.me)
    }
    const transferOf = (progress: DownloadProgress, saved: string | null = null): FileTransfer =>
      saved === null
        ? transferFrom(base, file, progress, null)
        : { ...transferFrom(base, file, progress, saved), preview }
    const emit = (progress: DownloadProgress, saved: string | null = null): void =>
      this._ctx.events.emit('onDidChangeFileTransfer', {
        room: joined.id,
        transfer: transferOf(progress, saved)
      })
    const download = new FileDownload(core, file, out, (p) => emit(p))
    entry.download = download
    if (entry.cancelled) download.cancel()
    this._failed.delete(keyOf(joined.id, id))
    const record = (state: DownloadEntry['state'], saved: string | null = null) =>
      this.registry.put({ room: joined.id, message: id, out, state, path: saved, preview })
    await record('downloading')
    try {
      const saved = await download.run()
      await record('done', saved)
      emit(download.progress, saved)
      return transferOf(download.progress, saved)
    } catch (err) {
      const error = asRoostError(diskFullOr(err, out))
      if (this._ctx.closing) throw error // resumes at the next start
      if (error.code === 'DOWNLOAD_CANCELLED') {
        await record('cancelled')
        emit({ ...download.progress, state: 'cancelled' })
      } else {
        this._failed.set(keyOf(joined.id, id), { code: error.code, message: error.message })
        emit({ ...download.progress, state: 'failed' })
      }
      throw error
    }
  }

  async cancelDownload(ref: string, id: string): Promise<FileTransfer> {
    const joined = this._ctx.joined(ref)
    const running = this._running.get(keyOf(joined.id, expectString(id, 'message id')))
    if (running !== undefined) {
      running.cancelled = true
      running.download?.cancel()
      await running.done.catch(() => {})
    }
    return this.fileTransfer(ref, id)
  }

  /**
   * Opens our blobs core in each room where we sent files (peers fetch them from it, blind
   * peers keep it), and lets the downloads a restart or a crash interrupted go on.
   */
  resumeAll(): void {
    for (const joined of this._ctx.rooms.values()) {
      joined.room
        .writer(joined.room.writerKey)
        .then((writer) => (writer?.blobs ? this.blobsOf(joined).direct() : null))
        .catch(() => {})
      for (const entry of this.registry.unfinished(joined.id)) {
        this.download(joined.id, entry.message, { preview: entry.preview }).catch(() => {})
      }
    }
  }

  /** Stops the downloads without marking them cancelled: they resume at the next start. */
  async closeAll(): Promise<void> {
    const running = [...this._running.values()]
    for (const r of running) {
      r.cancelled = true
      r.download?.cancel()
    }
    await Promise.all(running.map((r) => r.done.catch(() => {})))
  }
}

function asRoostError(err: unknown): RoostError {
  if (err instanceof RoostError) return err
  return new RoostError('INTERNAL', err instanceof Error ? err.message : String(err))
}

function keyOf(room: string, message: string): string {
  return room + '/' + message
}

function transferFrom(
  base: Pick<FileTransfer, 'room' | 'message' | 'file' | 'mine'>,
  file: FileDescriptor,
  progress: DownloadProgress,
  saved: string | null,
  error: { code: string; message: string } | null = null
): FileTransfer {
  const bytes = Math.min(progress.bytes, file.size)
  const percent =
    file.size === 0 ? (progress.state === 'done' ? 100 : 0) : Math.floor((bytes / file.size) * 100)
  const { fetched } = progress
  return { ...base, state: progress.state, bytes, percent, fetched, path: saved, error }
}

/** The OS downloads folder ($XDG_DOWNLOAD_DIR, else ~/Downloads). */
function downloadsDir(): string {
  return process.env.XDG_DOWNLOAD_DIR ?? path.join(os.homedir(), 'Downloads')
}

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(
    () => true,
    () => false
  )
}
