import path from 'path'
import b4a from 'b4a'
import type { Message, SendFileOptions, StageUploadOptions } from '../../shared/api/contract.js'
import {
  DEFAULT_MIRROR_FILE_CAP,
  MAX_THUMBNAIL_BYTES,
  RoostError
} from '../../shared/api/errors.js'
import { cleanType, type FileDescriptor } from '../files/file-descriptor.js'
import { safeFileName } from '../files/file-name.js'
import { statSendable, storeFile } from '../files/file-sender.js'
import { typeOfName } from '../files/file-types.js'
import { previewOffThread } from '../files/image-preview-job.js'
import type { RoomBlobs } from '../files/room-blobs.js'
import { UploadStaging } from '../files/upload-staging.js'
import type { JoinedRoom } from '../rooms/joined-room.js'
import { expectOptionalObject, expectOptionalPositiveInt, expectString } from '../validate.js'
import type { CoreContext } from './core-context.js'
import type { MessagesService } from './messages-service.js'
import { writeError } from './write-error.js'

/** Sending files: staging a page's bytes, sealing and storing them, the message, cancelling. */
export class FileSending {
  readonly staging: UploadStaging
  private _ctx: CoreContext
  private _messages: MessagesService
  private _blobsOf: (joined: JoinedRoom) => RoomBlobs
  /** Sends under way that named an upload token, by room/upload: what cancels each. */
  private _sending: Map<string, AbortController>

  constructor(
    ctx: CoreContext,
    messages: MessagesService,
    blobsOf: (joined: JoinedRoom) => RoomBlobs
  ) {
    this._ctx = ctx
    this._messages = messages
    this._blobsOf = blobsOf
    this._sending = new Map()
    this.staging = new UploadStaging(ctx.dataDir)
  }

  async send(ref: string, opts: SendFileOptions): Promise<Message> {
    const joined = this._ctx.joined(ref)
    const options = expectOptionalObject(opts, 'sendFile options')
    const upload = options.upload === undefined ? null : expectString(options.upload, 'upload')
    // registered before the first await, so a cancel right after the call finds it
    const key = upload === null ? null : joined.id + '/' + upload
    if (key !== null && this._sending.has(key))
      throw RoostError.invalidArgument(`upload ${upload} is being sent already`)
    const cancel = new AbortController()
    if (key !== null) this._sending.set(key, cancel)
    const stored = () => {
      if (key !== null && this._sending.get(key) === cancel) this._sending.delete(key)
    }
    try {
      return await this._send(joined, options, upload, cancel.signal, stored)
    } finally {
      stored()
    }
  }

  async cancel(ref: string, upload: string, staged?: string): Promise<boolean> {
    const joined = this._ctx.joined(ref)
    const sending = this._sending.get(joined.id + '/' + expectString(upload, 'upload'))
    // a send under way removes its own staging once it has stopped reading it
    if (sending !== undefined) sending.abort()
    else if (staged !== undefined) await this.staging.remove(expectString(staged, 'staged'))
    return sending !== undefined
  }

  async stage(opts: StageUploadOptions): Promise<{ staged: string; bytes: number }> {
    const options = expectOptionalObject(opts, 'stageUpload options')
    const token = options.staged === undefined ? null : expectString(options.staged, 'staged')
    return this.staging.append(token, expectString(options.data, 'data'))
  }

  /** `stored` is called once the file is stored whole: a cancel after it comes too late. */
  private async _send(
    joined: JoinedRoom,
    options: Record<string, unknown>,
    upload: string | null,
    cancelled: AbortSignal,
    stored: () => void
  ): Promise<Message> {
    const token = options.staged === undefined ? null : expectString(options.staged, 'staged')
    try {
      const source =
        token === null ? expectString(options.path, 'path') : await this.staging.pathOf(token)
      const name = safeFileName(
        options.name === undefined ? path.basename(source) : expectString(options.name, 'name')
      )
      const type = cleanType(
        options.type === undefined ? typeOfName(name) : expectString(options.type, 'type')
      )
      let thumbnail = thumbnailOf(options.thumbnail)
      let width = expectOptionalPositiveInt(options.width, 'width') ?? null
      let height = expectOptionalPositiveInt(options.height, 'height') ?? null
      const { size } = await statSendable(source)
      // a CLI (or a page that could not measure the image) gave nothing: made here, alongside
      const previewing =
        thumbnail === null && width === null && height === null && type.startsWith('image/')
          ? previewOffThread(source, type)
          : Promise.resolve(null)
      const info = await joined.room.info()
      const direct = size > (info?.mirrorFileCap || DEFAULT_MIRROR_FILE_CAP)
      if (!joined.room.writable) throw RoostError.notWritable()
      const roomBlobs = this._blobsOf(joined)
      const blobs = await (direct ? roomBlobs.direct() : roomBlobs.own())
      const onProgress = (bytes: number): void => {
        if (upload !== null)
          this._ctx.events.emit('onDidProgressSend', { room: joined.id, upload, bytes, size })
      }
      const sealed = await storeFile(blobs, source, onProgress, cancelled)
      if (cancelled.aborted) throw RoostError.sendCancelled(name) // an empty file stores no block
      stored()
      const preview = await previewing
      if (preview !== null) {
        width = preview.width
        height = preview.height
        thumbnail = preview.thumbnail === null ? null : safeThumbnailOf(preview.thumbnail)
      }
      const file: FileDescriptor = {
        name,
        size: sealed.size,
        type,
        hash: sealed.hash,
        core: blobs.core.key,
        blob: sealed.blob,
        key: sealed.key,
        width,
        height,
        thumbnail: thumbnail?.bytes ?? null,
        thumbnailType: thumbnail?.type ?? null,
        direct
      }
      const text = options.text === undefined ? '' : (options.text as string)
      const replyTo = options.replyTo as string | undefined
      const message = await this._messages.send(joined.id, { text, replyTo }, file)
      if (token !== null) await this.staging.remove(token)
      return message
    } catch (err) {
      if (cancelled.aborted && token !== null) await this.staging.remove(token)
      if (err instanceof RoostError) throw err
      throw writeError(joined.room, err, this._ctx.dataDir)
    }
  }
}

function thumbnailOf(value: unknown): { type: string; bytes: Buffer } | null {
  if (value === undefined || value === null) return null
  const url = expectString(value, 'thumbnail')
  const match = /^data:(image\/(?:png|jpeg|webp|gif));base64,([A-Za-z0-9+/=]+)$/.exec(url)
  if (match === null)
    throw RoostError.invalidArgument(
      'thumbnail must be a base64 data: URL of a PNG, JPEG, WebP or GIF'
    )
  const bytes = b4a.from(match[2] ?? '', 'base64')
  if (bytes.byteLength > MAX_THUMBNAIL_BYTES)
    throw RoostError.invalidArgument(`thumbnail is over ${MAX_THUMBNAIL_BYTES} bytes`)
  return { type: match[1] ?? 'image/png', bytes }
}

/** A thumbnail made here: one that does not pass is left out rather than failing the send. */
function safeThumbnailOf(value: string): { type: string; bytes: Buffer } | null {
  try {
    return thumbnailOf(value)
  } catch {
    return null
  }
}
