import type { FileSendProgress, RoomId } from '../../shared/api/contract.js'
import { MAX_UPLOAD_CHUNK_BYTES, RoostError } from '../../shared/api/errors.js'
import { toBase64 } from '../util/base64'
import { AUTO_DOWNLOAD_MAX_BYTES, isInlineImageType } from '../util/file-kind'
import { imageFacts } from '../util/thumbnail'
import type { AppContext } from './context'
import { fileKey, setTransfer } from './file-actions'
import { withMessages } from './timeline-ops'
import { showError } from './toast-actions'
import type { AppState, Attachment, OutgoingFile } from './types'

let nextAttachment = 1
let nextUpload = 1
/** How many sent images keep their full bytes in the page. */
const SENT_IMAGES_KEPT = 12
/** The measuring of each attachment's image, by attachment id, until it is sent or removed. */
const measuring = new Map<number, Promise<void>>()
/** What each attachment's image measured (the tray shows the store's copy; sending reads this). */
const measured = new Map<number, Pick<Attachment, 'thumbnail' | 'width' | 'height'>>()
/** Sends a person cancelled, by upload token, and the staged upload each has on the core. */
const cancelled = new Set<string>()
const stagedOf = new Map<string, string>()

function withAttachments(
  s: AppState,
  room: RoomId,
  change: (list: Attachment[]) => Attachment[]
): AppState {
  return { ...s, attachments: { ...s.attachments, [room]: change(s.attachments[room] ?? []) } }
}

function withOutgoing(
  s: AppState,
  room: RoomId,
  change: (list: OutgoingFile[]) => OutgoingFile[]
): AppState {
  const list = change(s.outgoing[room] ?? [])
  return { ...s, outgoing: { ...s.outgoing, [room]: list } }
}

/** Files picked, pasted or dropped: into the composer's tray; images get measured meanwhile. */
export function attachFiles(ctx: AppContext, room: RoomId, files: readonly File[]): void {
  const added = files.map((file): Attachment => ({
    id: nextAttachment++,
    file,
    thumbnail: null,
    width: null,
    height: null
  }))
  if (added.length === 0) return
  ctx.store.update((s) => withAttachments(s, room, (list) => [...list, ...added]))
  for (const attachment of added) {
    const job = imageFacts(attachment.file).then(
      (facts) => {
        if (facts === null || !measuring.has(attachment.id)) return
        measured.set(attachment.id, facts)
        ctx.store.update((s) =>
          withAttachments(s, room, (list) =>
            list.map((a) => (a.id === attachment.id ? { ...a, ...facts } : a))
          )
        )
      },
      () => {} // no preview, then: the file is sent all the same
    )
    measuring.set(attachment.id, job)
  }
}

export function removeAttachment(ctx: AppContext, room: RoomId, id: number): void {
  measuring.delete(id)
  measured.delete(id)
  ctx.store.update((s) => withAttachments(s, room, (list) => list.filter((a) => a.id !== id)))
}

export function hasAttachments(ctx: AppContext, room: RoomId): boolean {
  return (ctx.store.getState().attachments[room]?.length ?? 0) > 0
}

/**
 * Sends the tray's files, one message each, the caption with the last; a file that fails goes
 * back into the tray (and the caption into the composer) so nothing is lost.
 */
export async function sendAttachments(
  ctx: AppContext,
  room: RoomId,
  caption: string,
  replyTo: string | undefined
): Promise<void> {
  const list = ctx.store.getState().attachments[room] ?? []
  ctx.store.update((s) => ({
    ...withAttachments(s, room, () => []),
    drafts: { ...s.drafts, [room]: '' },
    scrollRequest: s.scrollRequest + 1
  }))
  for (let i = 0; i < list.length; i++) {
    await measuring.get(list[i].id)
    measuring.delete(list[i].id)
    const last = i === list.length - 1
    try {
      await sendOne(ctx, room, list[i], last ? caption : '', i === 0 ? replyTo : undefined)
    } catch (err) {
      if (RoostError.from(err).code === 'SEND_CANCELLED') {
        // the person's own choice: the rest go on, and a caption it carried comes back
        if (last && caption !== '') {
          ctx.store.update((s) =>
            s.drafts[room] ? s : { ...s, drafts: { ...s.drafts, [room]: caption } }
          )
        }
        continue
      }
      const rest = list.slice(i)
      ctx.store.update((s) => {
        const next = withAttachments(s, room, (now) => [...rest, ...now])
        return s.drafts[room] ? next : { ...next, drafts: { ...next.drafts, [room]: caption } }
      })
      showError(ctx, err)
      return
    }
  }
}

/** Stages the bytes on the core in chunks, then sends them as the file of a new message. */
async function sendOne(
  ctx: AppContext,
  room: RoomId,
  attachment: Attachment,
  text: string,
  replyTo: string | undefined
): Promise<void> {
  const { file } = attachment
  const facts = measured.get(attachment.id) ?? attachment
  measured.delete(attachment.id)
  const upload = `u${Date.now().toString(36)}-${nextUpload++}`
  const outgoing: OutgoingFile = {
    upload,
    name: file.name,
    size: file.size,
    phase: 'uploading',
    bytes: 0
  }
  const update = (change: Partial<OutgoingFile>): void =>
    ctx.store.update((s) =>
      withOutgoing(s, room, (l) => l.map((o) => (o.upload === upload ? { ...o, ...change } : o)))
    )
  ctx.store.update((s) => withOutgoing(s, room, (l) => [...l, outgoing]))
  try {
    let staged: string | undefined
    let offset = 0
    do {
      const end = Math.min(file.size, offset + MAX_UPLOAD_CHUNK_BYTES)
      const bytes = new Uint8Array(await file.slice(offset, end).arrayBuffer())
      const answer = await ctx.api.stageUpload({ staged, data: toBase64(bytes) })
      staged = answer.staged
      stagedOf.set(upload, staged)
      if (cancelled.has(upload)) {
        await ctx.api.cancelSend(room, upload, staged)
        throw RoostError.sendCancelled(file.name)
      }
      offset = end
      update({ bytes: answer.bytes })
    } while (offset < file.size)
    if (cancelled.has(upload)) {
      // cancelled after the last chunk: never sent
      await ctx.api.cancelSend(room, upload, staged)
      throw RoostError.sendCancelled(file.name)
    }
    update({ phase: 'sealing', bytes: 0 })
    const message = await ctx.api.sendFile(room, {
      staged,
      name: file.name === '' ? undefined : file.name,
      type: file.type === '' ? undefined : file.type,
      text: text === '' ? undefined : text,
      replyTo,
      upload,
      thumbnail: facts.thumbnail ?? undefined,
      width: facts.width ?? undefined,
      height: facts.height ?? undefined
    })
    ctx.store.update((s) =>
      s.timelines[room] === undefined
        ? s
        : {
            ...s,
            timelines: {
              ...s.timelines,
              [room]: withMessages(s.timelines[room], [message], (id) => ctx.sentIds.has(id))
            }
          }
    )
    ctx.refreshRoom(room)
    if (isInlineImageType(file.type) && facts.thumbnail !== null) {
      void keepSentImage(ctx, fileKey(room, message.id), file)
    }
    const transfer = await ctx.api.fileTransfer(room, message.id).catch(() => null)
    if (transfer !== null) setTransfer(ctx, room, transfer)
  } finally {
    cancelled.delete(upload)
    stagedOf.delete(upload)
    ctx.store.update((s) => withOutgoing(s, room, (l) => l.filter((o) => o.upload !== upload)))
  }
}

/**
 * Stops a file being sent: while the page stages it, at its next chunk; once the core seals it,
 * there (its sendFile then fails with SEND_CANCELLED). Too late once its message is out.
 */
export function cancelSend(ctx: AppContext, room: RoomId, upload: string): void {
  const outgoing = ctx.store.getState().outgoing[room]?.find((o) => o.upload === upload)
  if (outgoing === undefined) return
  cancelled.add(upload)
  if (outgoing.phase === 'sealing') {
    ctx.api.cancelSend(room, upload, stagedOf.get(upload)).catch((err: unknown) => {
      showError(ctx, err)
    })
  }
}

/** The sender's own image, full size, from its bytes (small enough to download by itself). */
async function keepSentImage(ctx: AppContext, key: string, file: File): Promise<void> {
  if (file.size > AUTO_DOWNLOAD_MAX_BYTES) return
  const url = await new Promise<string | null>((resolve) => {
    const reader = new FileReader()
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : null)
    reader.onerror = () => resolve(null)
    reader.readAsDataURL(file)
  })
  if (url === null) return
  ctx.store.update((s) => {
    const kept = Object.entries(s.sentImages).slice(-(SENT_IMAGES_KEPT - 1))
    return { ...s, sentImages: Object.fromEntries([...kept, [key, url]]) }
  })
}

/** Sealing progress shows at most this often (the core reports every block it stores). */
const PROGRESS_MS = 100
const progressed = new Map<string, FileSendProgress>()
let progressTimer: ReturnType<typeof setTimeout> | null = null

/** The core sealing and storing a file this page sent: its progress, in bytes. */
export function onSendProgress(ctx: AppContext, event: FileSendProgress): void {
  progressed.set(event.upload, event)
  if (progressTimer !== null) return
  progressTimer = setTimeout(() => {
    progressTimer = null
    const events = [...progressed.values()]
    progressed.clear()
    ctx.store.update((s) => events.reduce(withProgress, s))
  }, PROGRESS_MS)
}

function withProgress(s: AppState, event: FileSendProgress): AppState {
  const list = s.outgoing[event.room]
  if (list === undefined || !list.some((o) => o.upload === event.upload)) return s
  return withOutgoing(s, event.room, (l) =>
    l.map((o) =>
      o.upload === event.upload && o.phase === 'sealing' ? { ...o, bytes: event.bytes } : o
    )
  )
}
