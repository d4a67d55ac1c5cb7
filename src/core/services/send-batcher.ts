import type { FileDescriptor } from '../files/file-descriptor.js'
/** One send waiting for its batch. */
export interface QueuedSend {
  text: string
  replyTo: string | null
  /** Null for none (an empty list would encode differently from none). */
  mentions: Buffer[] | null
  /** When send was called: the message's timestamp. */
  timestamp: number
  /** Its UTF-8 size, for the batch's byte budget. */
  bytes: number
  /** The attachment to seal beside the text. */
  file?: FileDescriptor | null
}

/** Writes one batch in order; resolves with one result per send (the message ids). */
export type WriteBatch<R> = (sends: QueuedSend[]) => Promise<R[]>

/** A batch ends at whichever comes first (a 64 KiB message still gets a batch of its own). */
const MAX_BATCH_SENDS = 512
const MAX_BATCH_BYTES = 2 * 1024 * 1024

interface Waiting<R> {
  send: QueuedSend
  resolve: (result: R) => void
  reject: (err: unknown) => void
}

/**
 * Group commit for one room's sends: every send made while a batch is being written (and every
 * send made in the same tick) goes into the next batch, one append of many blocks and one disk
 * sync. Sends keep the order they were made in; each resolves with its own result, or rejects
 * with its batch's error.
 */
export class SendBatcher<R> {
  private _write: WriteBatch<R>
  private _queue: Array<Waiting<R>>
  private _running: boolean

  constructor(write: WriteBatch<R>) {
    this._write = write
    this._queue = []
    this._running = false
  }

  send(send: QueuedSend): Promise<R> {
    return new Promise((resolve, reject) => {
      this._queue.push({ send, resolve, reject })
      if (this._running) return
      this._running = true
      // sends made in this same tick join the first batch
      queueMicrotask(() => void this._drain())
    })
  }

  private async _drain(): Promise<void> {
    try {
      while (this._queue.length > 0) {
        const batch = this._take()
        try {
          const results = await this._write(batch.map((w) => w.send))
          for (const [i, waiting] of batch.entries()) waiting.resolve(results[i])
        } catch (err) {
          for (const waiting of batch) waiting.reject(err)
        }
      }
    } finally {
      this._running = false
    }
  }

  private _take(): Array<Waiting<R>> {
    let count = 0
    let bytes = 0
    while (count < this._queue.length && count < MAX_BATCH_SENDS) {
      const next = this._queue[count].send.bytes
      if (count > 0 && bytes + next > MAX_BATCH_BYTES) break
      bytes += next
      count++
    }
    return this._queue.splice(0, count)
  }
}
