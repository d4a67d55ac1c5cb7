import fs from 'fs'
import { basename } from 'path'
import type Hyperblobs from 'hyperblobs'
import { RoostError } from '../../shared/api/errors.js'
import type { BlobId } from './file-descriptor.js'
import { ContentHash, FILE_BLOCK_BYTES, newFileKey, xorAt } from './file-crypto.js'

/** A file sealed into our blobs core: what its message needs to find and open it. */
export interface StoredFile {
  size: number
  hash: Buffer
  key: Buffer
  blob: BlobId
}

/** A path that can be sent: a readable regular file. The coded error otherwise. */
export async function statSendable(path: string): Promise<fs.Stats> {
  let stat: fs.Stats
  try {
    stat = await fs.promises.stat(path)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw RoostError.fileNotFound(path)
    throw RoostError.fileUnreadable(path, code ?? String(err))
  }
  if (stat.isDirectory()) throw RoostError.fileIsDirectory(path)
  if (!stat.isFile()) throw RoostError.fileUnreadable(path, 'not a regular file')
  try {
    await fs.promises.access(path, fs.constants.R_OK)
  } catch (err) {
    throw RoostError.fileUnreadable(path, (err as NodeJS.ErrnoException).code ?? String(err))
  }
  return stat
}

/**
 * Streams the file at `path` into `blobs`: read in 64 KiB blocks, hashed, sealed with a fresh
 * key and appended, never whole in memory. `onProgress` hears the bytes stored so far. Once
 * `cancelled` is aborted it stops at the next block, clears what it stored and throws
 * SEND_CANCELLED.
 */
export async function storeFile(
  blobs: Hyperblobs,
  path: string,
  onProgress: (bytes: number) => void,
  cancelled?: AbortSignal
): Promise<StoredFile> {
  const key = newFileKey()
  const hash = new ContentHash()
  const out = blobs.createWriteStream()
  const failed = new Promise<never>((_resolve, reject) => out.once('error', reject))
  failed.catch(() => {})
  let size = 0
  let pending: Buffer[] = []
  let pendingBytes = 0
  const finish = async (): Promise<void> => {
    const closed = new Promise<void>((resolve) => out.once('close', resolve))
    out.end()
    await Promise.race([closed, failed])
  }
  const writeBlock = async (block: Buffer): Promise<void> => {
    if (cancelled?.aborted) {
      // ended rather than destroyed: a write stream holds the core's append lock, so the blocks
      // from its id's offset on are all its own, and clearing them frees their space here
      await finish()
      await blobs.clear(out.id).catch(() => {})
      throw RoostError.sendCancelled(basename(path))
    }
    hash.update(block)
    const sealed = xorAt(block, size, key)
    size += block.byteLength
    if (!out.write(sealed)) {
      await Promise.race([new Promise<void>((resolve) => out.once('drain', resolve)), failed])
    }
    onProgress(size)
  }
  try {
    const input = fs.createReadStream(path, { highWaterMark: FILE_BLOCK_BYTES })
    for await (const chunk of input as AsyncIterable<Buffer>) {
      pending.push(chunk)
      pendingBytes += chunk.byteLength
      while (pendingBytes >= FILE_BLOCK_BYTES) {
        const all = Buffer.concat(pending)
        await writeBlock(all.subarray(0, FILE_BLOCK_BYTES))
        pending = [all.subarray(FILE_BLOCK_BYTES)]
        pendingBytes = all.byteLength - FILE_BLOCK_BYTES
      }
    }
    if (pendingBytes > 0) await writeBlock(Buffer.concat(pending))
    await finish()
  } catch (err) {
    out.destroy()
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'EACCES' || code === 'EISDIR' || code === 'EIO')
      throw RoostError.fileUnreadable(path, code)
    throw err
  }
  return { size, hash: hash.digest(), key, blob: { ...out.id } }
}
