// The cold-open bench's processes: the parent forks one child per step (bench/cold-roost.ts,
// bench/cold-baseline.ts) with the step, a directory and JSON params in argv; the child does that
// one step and sends back one result. A fresh process per open means no warm JS or storage caches
// in the process (the OS page cache stays warm: nothing here can drop it on a shared host).
import { fork } from 'child_process'
import fs from 'fs/promises'
import path from 'path'
import { fileURLToPath } from 'url'

export type ColdStep = 'build' | 'open' | 'build-rooms' | 'open-rooms' | 'search-build' | 'search'

type Reply = { t: 'result'; result: unknown } | { t: 'error'; message: string }

/** A room built with `count` messages. */
export interface BuildResult {
  buildMs: number
  /** Roost: the room id; baseline: the Autobase key (hex). */
  key: string
  /** The baseline's encryption key (hex); Roost keeps its own in rooms.json. */
  encryptionKey: string
}

/** Reopening the room from disk and reading its newest 50 messages. */
export interface OpenResult {
  /** Process start of the open (createRoost / new Corestore) → open. */
  openMs: number
  /** Open → the newest 50 messages read. */
  readMs: number
  /** Start of the open → the newest 50 messages read. */
  lastPageMs: number
  /** The newest message's sequence number, checked against the build. */
  lastSeq: number
}

/** 50 rooms opened from disk in one process. */
export interface RoomsResult {
  /** Start of the open → every room open (and, for Roost, listed by `rooms()`). */
  openMs: number
  rooms: number
  rssBytes: number
  heapUsedBytes: number
}

/** The baseline's rooms: what reopening them needs. */
export interface BuiltRooms {
  keys: Array<{ key: string; encryptionKey: string }>
}

const here = path.dirname(fileURLToPath(import.meta.url))
const STEP_TIMEOUT_MS = 15 * 60_000

/**
 * Runs one step in a fresh child and resolves with its result once the child has exited (so its
 * store is closed before anything measures the directory). `measured` children get `--expose-gc`
 * for `memoryAfterGc`.
 */
export function runStep<T>(
  script: string,
  step: ColdStep,
  dir: string,
  params: unknown,
  measured = false
): Promise<T> {
  const child = fork(path.join(here, script), [step, dir, JSON.stringify(params)], {
    execArgv: measured ? ['--expose-gc'] : process.execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  return new Promise((resolve, reject) => {
    let reply: Reply | null = null
    const timer = setTimeout(() => {
      reject(new Error(`${script} ${step}: no result within ${STEP_TIMEOUT_MS} ms`))
      child.kill('SIGKILL')
    }, STEP_TIMEOUT_MS)
    child.on('message', (msg: Reply) => {
      reply = msg
    })
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      const got = reply as Reply | null
      if (got?.t === 'result') resolve(got.result as T)
      else if (got?.t === 'error') reject(new Error(`${script} ${step}: ${got.message}`))
      else
        reject(
          new Error(`${script} ${step}: exited (code ${code}, signal ${signal}) with no result`)
        )
    })
  })
}

/**
 * In a child: runs the step named in argv and sends its result (or error) to the parent; run by
 * hand (no IPC, e.g. under --cpu-prof), it prints the reply on stdout instead.
 */
export function serveStep(
  steps: Partial<Record<ColdStep, (dir: string, params: any) => Promise<unknown>>>
): void {
  const [step, dir, params] = process.argv.slice(2)
  const run = steps[step as ColdStep]
  const send = (reply: Reply): Promise<void> =>
    new Promise((resolve) => {
      if (process.send === undefined)
        process.stdout.write(JSON.stringify(reply) + '\n', () => resolve())
      else process.send(reply, () => resolve())
    })
  ;(run === undefined
    ? Promise.reject(new Error(`unknown step ${step}`))
    : run(dir, JSON.parse(params))
  )
    .then(
      (result) => send({ t: 'result', result }),
      (err: unknown) =>
        send({
          t: 'error',
          message: err instanceof Error ? (err.stack ?? err.message) : String(err)
        })
    )
    .finally(() => {
      if (process.connected) process.disconnect()
    })
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * RSS and JS heap once the open's garbage is gone: a full GC (`node --expose-gc`, see runStep),
 * a 2 s settle for storage callbacks and timers the open scheduled, then another full GC, as
 * the raw-stack baseline measured it. Only what stays resident counts, on both sides.
 */
export async function memoryAfterGc(): Promise<{ rssBytes: number; heapUsedBytes: number }> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('memoryAfterGc needs node --expose-gc')
  gc()
  await sleep(2000)
  gc()
  const { rss, heapUsed } = process.memoryUsage()
  return { rssBytes: rss, heapUsedBytes: heapUsed }
}

/** Bytes of every file under `dir` (apparent sizes, as `du -sb` counts them). */
export async function diskBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue
    const stat = await fs.stat(path.join(entry.parentPath, entry.name)).catch(() => null)
    total += stat?.size ?? 0
  }
  return total
}
