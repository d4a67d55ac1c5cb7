import crypto from 'crypto'
import fs from 'fs/promises'
import path from 'path'
import { diskFullOr } from './disk-full.js'

interface FileQueue {
  /** The write in progress. */
  running: Promise<void>
  /** The newest content waiting for it; older waiting content is dropped (the last write wins). */
  next: { data: string; mode: number; done: Promise<void> } | null
}

/** Writes in progress, per absolute path: one at a time per file, in this process. */
const queues = new Map<string, FileQueue>()

/**
 * Replaces `file` atomically: a unique temp file beside it, fsync, rename, fsync of the directory.
 * A crash leaves the old file or the new one whole, never a mix. Writes to one file are
 * serialised; a write that is still waiting when a newer one comes is folded into the newer one.
 */
export function writeFileAtomic(file: string, data: string, mode = 0o600): Promise<void> {
  const key = path.resolve(file)
  const queue = queues.get(key)
  if (queue === undefined) {
    const running = replace(key, data, mode).finally(() => drain(key))
    queues.set(key, { running, next: null })
    return running
  }
  if (queue.next !== null) {
    queue.next.data = data
    queue.next.mode = mode
    return queue.next.done
  }
  const next = { data, mode, done: Promise.resolve() }
  next.done = queue.running.then(
    () => replace(key, next.data, next.mode),
    () => replace(key, next.data, next.mode)
  )
  queue.next = next
  return next.done
}

function drain(key: string): void {
  const queue = queues.get(key)
  if (queue === undefined) return
  if (queue.next === null) {
    queues.delete(key)
    return
  }
  const next = queue.next
  queue.next = null
  queue.running = next.done.then(
    () => drain(key),
    () => drain(key)
  )
}

/**
 * Creates `file` with `data` only if it does not exist, atomically (a hard link of a complete
 * temp file). Returns false when the file was already there.
 */
export async function createFileAtomic(file: string, data: string, mode = 0o600): Promise<boolean> {
  const tmp = await writeTemp(file, data, mode)
  try {
    await fs.link(tmp, file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw err
  } finally {
    await fs.rm(tmp, { force: true })
  }
  await syncDir(path.dirname(file))
  return true
}

async function replace(file: string, data: string, mode: number): Promise<void> {
  const tmp = await writeTemp(file, data, mode)
  try {
    await fs.rename(tmp, file)
  } catch (err) {
    await fs.rm(tmp, { force: true })
    throw err
  }
  await syncDir(path.dirname(file))
}

/** A temp file beside `file`, unique per write (pid and random), written and fsynced. */
async function writeTemp(file: string, data: string, mode: number): Promise<string> {
  try {
    return await writeTempFile(file, data, mode)
  } catch (err) {
    throw diskFullOr(err, path.dirname(file)) // a full disk is DISK_FULL, whatever the file
  }
}

async function writeTempFile(file: string, data: string, mode: number): Promise<string> {
  const unique = `${process.pid}.${crypto.randomBytes(6).toString('hex')}`
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${unique}.tmp`)
  const handle = await fs.open(tmp, 'wx', mode)
  try {
    await handle.writeFile(data)
    await handle.sync()
  } catch (err) {
    await handle.close()
    await fs.rm(tmp, { force: true })
    throw err
  }
  await handle.close()
  return tmp
}

/** Makes a rename or link durable; not supported for directories on Windows. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await fs.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
