import type { FileTransfer, Message, RoomId } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { fileUrl, saveInBrowser } from '../api/file-url'
import { AUTO_DOWNLOAD_MAX_BYTES, byteCount, isPreviewImage } from '../util/file-kind'
import type { AppContext } from './context'
import { showError } from './toast-actions'

/** Transfers asked for already (by `room/message`), so a render asks the core once. */
const asked = new Set<string>()
/** Images downloaded by themselves already, so a failed or cancelled one is not retried. */
const autoDownloaded = new Set<string>()
/** Rooms whose file list is being read: their rows wait for it rather than asking one by one. */
const listing = new Set<RoomId>()

export function fileKey(room: RoomId, message: string): string {
  return room + '/' + message
}

/** Where a file stands, into the store; a saved one gets the page's link to it (browser). */
export function setTransfer(ctx: AppContext, room: RoomId, transfer: FileTransfer): void {
  ctx.store.update((s) => ({
    ...s,
    transfers: {
      ...s.transfers,
      [room]: { ...(s.transfers[room] ?? {}), [transfer.message]: transfer }
    }
  }))
  const key = fileKey(room, transfer.message)
  if (transfer.state !== 'done' || transfer.path === null) return
  if (ctx.store.getState().fileUrls[key] !== undefined) return
  fileUrl(room, transfer.message).then(
    (url) => {
      if (url === null) return
      ctx.store.update((s) => ({ ...s, fileUrls: { ...s.fileUrls, [key]: url } }))
    },
    () => {} // no link: the card keeps its Download button
  )
}

/** The room's files as the core lists them (its newest 500), when its timeline opens. */
export async function loadTransfers(ctx: AppContext, room: RoomId): Promise<void> {
  listing.add(room)
  try {
    const list = await ctx.api.files(room)
    for (const transfer of list) {
      asked.add(fileKey(room, transfer.message))
      setTransfer(ctx, room, transfer)
    }
  } catch (err) {
    const code = RoostError.from(err).code
    if (code !== 'ROOM_NOT_FOUND') showError(ctx, err)
  } finally {
    listing.delete(room)
  }
  watchFiles(ctx, room, ctx.store.getState().timelines[room]?.messages ?? [])
}

/**
 * Asks for the transfer of every loaded file message not known yet (new ones, older pages);
 * then starts the downloads of the images that fetch by themselves while the room is on screen.
 */
export function watchFiles(ctx: AppContext, room: RoomId, messages: readonly Message[]): void {
  const s = ctx.store.getState()
  const known = s.transfers[room] ?? {}
  for (const message of messages) {
    if (message.file == null || message.deleted === true || message.file.unreadable === true) {
      continue
    }
    const key = fileKey(room, message.id)
    const transfer = known[message.id]
    if (transfer === undefined) {
      if (asked.has(key) || listing.has(room)) continue
      asked.add(key)
      ctx.api.fileTransfer(room, message.id).then(
        (t) => setTransfer(ctx, room, t),
        () => asked.delete(key) // a message a reorder moved: asked again when it shows
      )
      continue
    }
    const size = byteCount(message.file.size)
    if (
      s.activeRoom === room &&
      s.visible &&
      isPreviewImage(message.file) &&
      size !== null &&
      size <= AUTO_DOWNLOAD_MAX_BYTES &&
      transfer.state === 'remote' &&
      !transfer.mine &&
      !autoDownloaded.has(key)
    ) {
      autoDownloaded.add(key)
      void download(ctx, room, message.id, false)
    }
  }
}

/**
 * Fetches, checks and saves the file on the core's machine; `save` then hands it to the
 * browser's downloads too (a page cannot reach the core's folder; in Electron the core's
 * folder is the person's, and the card offers Open instead). Progress arrives as events.
 */
export async function download(
  ctx: AppContext,
  room: RoomId,
  id: string,
  save: boolean
): Promise<void> {
  try {
    // shown inline only: kept with the core's data, not in the downloads folder
    const transfer = await ctx.api.download(room, id, save ? undefined : { preview: true })
    setTransfer(ctx, room, transfer)
    if (save) saveFile(ctx, room, transfer)
  } catch (err) {
    const code = RoostError.from(err).code
    // a cancel is the user's own; a failure shows on the file's card, with its reason
    if (code !== 'DOWNLOAD_CANCELLED' && code !== 'FILE_HASH_MISMATCH' && save) showError(ctx, err)
    const transfer = await ctx.api.fileTransfer(room, id).catch(() => null)
    if (transfer !== null) setTransfer(ctx, room, transfer)
  }
}

function saveFile(ctx: AppContext, room: RoomId, transfer: FileTransfer): void {
  if (transfer.path === null || ctx.bridge !== null) return
  fileUrl(room, transfer.message).then(
    (url) => {
      if (url !== null) saveInBrowser(url)
    },
    (err: unknown) => showError(ctx, err)
  )
}

/**
 * Electron: opens a saved file in its app, or shows it in the file manager. A file that would
 * run as a program is only shown; one moved or deleted since says so and the card updates.
 */
export async function openFile(
  ctx: AppContext,
  room: RoomId,
  id: string,
  how: 'open' | 'show'
): Promise<void> {
  const bridge = ctx.bridge
  if (bridge === null) return
  try {
    let result = await bridge.openFile(room, id, how)
    if (result === 'runs-when-opened') result = await bridge.openFile(room, id, 'show')
    if (result === 'not-saved') {
      showError(ctx, new RoostError('FILE_NOT_FOUND', 'The file is no longer where it was saved'))
      setTransfer(ctx, room, await ctx.api.fileTransfer(room, id))
    } else if (result === 'failed') {
      showError(ctx, new RoostError('FILE_UNREADABLE', 'The file could not be opened'))
    }
  } catch (err) {
    showError(ctx, err)
  }
}

export async function cancelDownload(ctx: AppContext, room: RoomId, id: string): Promise<void> {
  try {
    setTransfer(ctx, room, await ctx.api.cancelDownload(room, id))
  } catch (err) {
    showError(ctx, err)
  }
}

/** The loaded messages of a room the viewer steps through: its images, oldest first. */
export function viewerImages(messages: readonly Message[]): Message[] {
  return messages.filter((m) => m.deleted !== true && isPreviewImage(m.file))
}

/** Opens the viewer at an image; one this device does not have yet starts downloading. */
export function openViewer(ctx: AppContext, room: RoomId, id: string): void {
  ctx.store.update((s) => ({ ...s, viewer: { room, id } }))
  const transfer = ctx.store.getState().transfers[room]?.[id]
  if (transfer?.state === 'remote' && !transfer.mine) void download(ctx, room, id, false)
}

export function closeViewer(ctx: AppContext): void {
  ctx.store.update((s) => (s.viewer === null ? s : { ...s, viewer: null }))
}

/** ← / →: the room's previous or next loaded image; at either end it stays. */
export function stepViewer(ctx: AppContext, step: 1 | -1): void {
  ctx.store.update((s) => {
    if (s.viewer === null) return s
    const images = viewerImages(s.timelines[s.viewer.room]?.messages ?? [])
    const at = images.findIndex((m) => m.id === s.viewer?.id)
    const next = images[at + step]
    if (at === -1 || next === undefined) return s
    return { ...s, viewer: { room: s.viewer.room, id: next.id } }
  })
}
