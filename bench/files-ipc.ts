// The file-transfer bench's IPC and helpers: the parent (bench/files.ts) commands member
// processes (bench/files-roost.ts: a Roost core; bench/files-raw.ts: a plain Corestore), each
// sampling its own RSS.
import type { ChildProcess } from 'child_process'
import crypto from 'crypto'
import fs from 'fs'

/** Parent → member. */
export type ToFiles =
  // Roost
  | { t: 'create' }
  | { t: 'invite' }
  | { t: 'join'; code: string }
  /** Reopen a data dir that has `room`: first offline (what it holds), then online. */
  | { t: 'reopen'; room: string; message: string }
  | { t: 'send-file'; path: string }
  /** Download `message` into `out`; progress goes to the parent as it arrives. */
  | { t: 'download'; message: string; out: string }
  // raw Corestore
  | { t: 'raw-serve'; path: string }
  | { t: 'raw-fetch'; key: string; length: number }
  // both
  /** The peak RSS since the last reset, then reset it. */
  | { t: 'peak' }
  | { t: 'close' }

/** Member → parent. */
export type FromFiles =
  | { t: 'created'; room: string }
  | { t: 'invite'; code: string }
  | { t: 'joined'; room: string; ms: number }
  | { t: 'reopened'; heldBytes: number; ms: number }
  | { t: 'sent'; message: string; ms: number; size: number }
  | { t: 'progress'; bytes: number }
  /**
   * `fetched`: bytes fetched from peers by this download (null when not readable); `cpuUs`:
   * this process's CPU time from download called to resolved (not the bench's hash check);
   * `peakRssBytes`: its RSS peak over the same span.
   */
  | {
      t: 'downloaded'
      ms: number
      bytes: number
      fetched: number | null
      sha256: string
      cpuUs: number
      peakRssBytes: number
    }
  | { t: 'raw-served'; key: string; length: number; ms: number }
  | { t: 'raw-fetched'; ms: number; bytes: number; cpuUs: number; peakRssBytes: number }
  /** The RSS peak since the last reset, the RSS right now and the CPU time so far. */
  | { t: 'peak'; rssBytes: number; nowBytes: number; cpuUs: number }
  | { t: 'closed' }
  | { t: 'error'; message: string }

/** The member's next message of type `t`; rejects when it reports an error, exits or is silent. */
export function reply<T extends FromFiles['t']>(
  child: ChildProcess,
  t: T,
  timeoutMs: number
): Promise<Extract<FromFiles, { t: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`no '${t}' from pid ${child.pid} within ${timeoutMs} ms`)),
      timeoutMs
    )
    const onMessage = (msg: FromFiles): void => {
      if (msg.t === 'error') done(new Error(`pid ${child.pid} failed: ${msg.message}`))
      else if (msg.t === t) done(null, msg as Extract<FromFiles, { t: T }>)
    }
    const onExit = (code: number | null, signal: string | null): void => {
      done(new Error(`pid ${child.pid} exited (code ${code}, signal ${signal}) before '${t}'`))
    }
    const done = (err: Error | null, msg?: Extract<FromFiles, { t: T }>): void => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (err !== null) reject(err)
      else resolve(msg as Extract<FromFiles, { t: T }>)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
    if (child.exitCode !== null || child.signalCode !== null)
      onExit(child.exitCode, child.signalCode)
  })
}

/** Sends `msg` unless the member is gone (a reply() waiting for it then fails on its own). */
export function tell(child: ChildProcess, msg: ToFiles): void {
  if (child.connected) child.send(msg)
}

/** Asks and waits: `msg`, then the reply of type `t`. */
export function ask<T extends FromFiles['t']>(
  child: ChildProcess,
  msg: ToFiles,
  t: T,
  timeoutMs: number
): Promise<Extract<FromFiles, { t: T }>> {
  const answer = reply(child, t, timeoutMs)
  tell(child, msg)
  return answer
}

// ---- the member's side ----

export function toParent(msg: FromFiles): void {
  process.send?.(msg)
}

export function unknownCommand(msg: never): never {
  throw new Error(`unknown command ${JSON.stringify(msg)}`)
}

/** This process's user + system CPU time so far, µs. */
export function cpuUs(): number {
  const { user, system } = process.cpuUsage()
  return user + system
}

const SAMPLE_MS = 50

/** Samples this process's RSS every 50 ms; `take()` is the peak since the last take. */
export class RssSampler {
  private _peak: number
  private _timer: NodeJS.Timeout

  constructor() {
    this._peak = process.memoryUsage().rss
    this._timer = setInterval(() => this.sample(), SAMPLE_MS)
    this._timer.unref()
  }

  sample(): void {
    const rss = process.memoryUsage().rss
    if (rss > this._peak) this._peak = rss
  }

  take(): number {
    this.sample()
    const peak = this._peak
    this._peak = process.memoryUsage().rss
    return peak
  }

  close(): void {
    clearInterval(this._timer)
  }
}

/**
 * Runs the member's commands one at a time (a `peak` at once beside them); a command's error
 * goes to the parent. The member exits when the parent is gone.
 */
export function serveFiles(handle: (msg: ToFiles, rss: RssSampler) => Promise<void>): void {
  const sampler = new RssSampler()
  const fail = (err: unknown): void => {
    toParent({
      t: 'error',
      message: err instanceof Error ? (err.stack ?? err.message) : String(err)
    })
  }
  let queue = Promise.resolve()
  process.on('message', (msg: ToFiles) => {
    if (msg.t === 'peak') {
      const rssBytes = sampler.take()
      toParent({ t: 'peak', rssBytes, nowBytes: process.memoryUsage().rss, cpuUs: cpuUs() })
    } else queue = queue.then(() => handle(msg, sampler).catch(fail))
  })
  // the parent died: nothing left to measure for
  process.on('disconnect', () => process.exit(0))
}

// ---- files ----

const WRITE_CHUNK = 4 * 2 ** 20

/** Writes `size` random bytes to `file`, streaming; resolves with their SHA-256 (hex). */
export async function randomFile(file: string, size: number): Promise<string> {
  const hash = crypto.createHash('sha256')
  const handle = await fs.promises.open(file, 'w', 0o600)
  try {
    for (let done = 0; done < size;) {
      const chunk = crypto.randomBytes(Math.min(WRITE_CHUNK, size - done))
      hash.update(chunk)
      await handle.write(chunk)
      done += chunk.byteLength
    }
  } finally {
    await handle.close()
  }
  return hash.digest('hex')
}

export async function sha256File(file: string): Promise<string> {
  const hash = crypto.createHash('sha256')
  for await (const chunk of fs.createReadStream(file, { highWaterMark: WRITE_CHUNK }))
    hash.update(chunk as Buffer)
  return hash.digest('hex')
}
