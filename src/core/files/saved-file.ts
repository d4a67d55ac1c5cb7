import fs from 'fs/promises'
import type { FileInfo, RoostApi } from '../../shared/api/contract.js'

/** A file this device has downloaded and checked, as it is on disk now. */
export interface SavedFile {
  path: string
  size: number
  file: FileInfo
  /** The data dir's copy for an inline image, not one saved where a person asked. */
  preview: boolean
}

/**
 * The saved file of a room's message, or null for anything else: an unknown room or message,
 * a file not downloaded (or not yet), or one moved or deleted since. Every way a page can reach
 * a file on disk goes through this, so it only ever reaches what the core itself saved.
 */
export async function savedFile(
  api: Pick<RoostApi, 'fileTransfer'>,
  room: string,
  message: string
): Promise<SavedFile | null> {
  const transfer = await api.fileTransfer(room, message).catch(() => null)
  if (transfer?.state !== 'done' || transfer.path === null) return null
  const stat = await fs.stat(transfer.path).catch(() => null)
  if (stat === null || !stat.isFile()) return null
  return {
    path: transfer.path,
    size: stat.size,
    file: transfer.file,
    preview: transfer.preview === true
  }
}
