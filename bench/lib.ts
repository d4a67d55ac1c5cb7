// Shared by the benchmark's parent (run.ts) and its member processes.
import { fork, type ChildProcess } from 'child_process'
import fs from 'fs/promises'
import os from 'os'
import path from 'path'
import { fileURLToPath } from 'url'
import type { Roost } from '../src/core/roost.js'
import { API_EVENTS } from '../src/shared/api/contract.js'
import { SerialTask } from '../src/shared/util/serial-task.js'

/** Roost's rooms use 100 ms (src/core/rooms/room.ts); the baseline uses the same. */
export const ACK_INTERVAL_MS = 100

/** CLOCK_MONOTONIC in ns: one clock for every process on the host. */
export const nowNs = (): bigint => process.hrtime.bigint()
export const nsToMs = (ns: bigint): number => Number(ns) / 1e6

export type Phase = 'lat' | 'burst' | 'flood'

/** Parent → member. */
export type ToMember =
  | { t: 'join'; code: string }
  | { t: 'open'; key: string; encryptionKey: string }
  | { t: 'latency'; count: number; rate: number }
  | { t: 'burst'; count: number }
  | { t: 'flood'; count: number }
  | { t: 'close' }

/** Member → parent. */
export type FromMember =
  | { t: 'writer'; key: string }
  | { t: 'ready'; ms: number }
  | { t: 'latency-done'; writerMs: number }
  | { t: 'burst-done'; writerMs: number }
  | { t: 'flood-done'; writerMs: number }
  | { t: 'served'; key: string; encryptionKey: string; writerMs: number }
  | { t: 'closed' }
  | { t: 'error'; message: string }

// ---- probe messages: the send time travels inside the message text ----

const PROBE = /^bench\|(lat|burst|flood)\|(\d+)\|(\d+)$/

export function probeText(phase: Phase, seq: number): string {
  return `bench|${phase}|${seq}|${nowNs()}`
}

export function parseProbe(text: string): { phase: Phase; seq: number; sentNs: bigint } | null {
  const m = PROBE.exec(text)
  if (m === null) return null
  return { phase: m[1] as Phase, seq: Number(m[2]), sentNs: BigInt(m[3]) }
}

// ---- statistics ----

/** Nearest-rank percentile, as in the baseline scripts (bench-baseline/lib.mjs). */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[idx]
}

export interface LatencyResult {
  n: number
  p50: number
  p95: number
  p99: number
  max: number
}

export interface BurstResult {
  n: number
  /** First send → the reader has every message. */
  totalMs: number
  msgsPerSec: number
  /** First send → the writer's last send resolved. */
  writerMs: number
}

export interface ScenarioResult {
  /** Member B: start of join (Roost) / add-writer (baseline) → writable. */
  setupMs: number
  latency: LatencyResult
  burst: BurstResult
  /** The same count of sends issued at once, none awaited before the next (a paste, a bot). */
  flood: BurstResult
}

/** Records arrivals at the reading member and resolves when a phase is complete. */
export class Arrivals {
  private _sent = new Map<Phase, Map<number, bigint>>()
  private _arrived = new Map<Phase, Map<number, bigint>>()
  private _waiters = new Set<{ phase: Phase; progress: () => void; cancel: () => void }>()

  record(phase: Phase, seq: number, sentNs: bigint, arrivedNs: bigint = nowNs()): void {
    const arrived = this._map(this._arrived, phase)
    if (arrived.has(seq)) return
    arrived.set(seq, arrivedNs)
    this._map(this._sent, phase).set(seq, sentNs)
    for (const waiter of this._waiters) if (waiter.phase === phase) waiter.progress()
  }

  count(phase: Phase): number {
    return this._map(this._arrived, phase).size
  }

  /**
   * Resolves once `count` distinct messages of the phase arrived. A watchdog, not a budget:
   * rejects only when no new message of the phase arrives for `idleMs`.
   */
  waitFor(phase: Phase, count: number, idleMs: number): Promise<void> {
    if (this.count(phase) >= count) return Promise.resolve()
    return new Promise((resolve, reject) => {
      const stalled = (): void => {
        this._waiters.delete(waiter)
        const got = this.count(phase)
        reject(
          new Error(`'${phase}': ${got} of ${count} messages arrived, then none for ${idleMs} ms`)
        )
      }
      let timer = setTimeout(stalled, idleMs)
      const waiter = {
        phase,
        cancel: () => {
          clearTimeout(timer)
          reject(new Error(`'${phase}': stopped waiting`))
        },
        progress: () => {
          clearTimeout(timer)
          if (this.count(phase) < count) {
            timer = setTimeout(stalled, idleMs)
            return
          }
          this._waiters.delete(waiter)
          resolve()
        }
      }
      this._waiters.add(waiter)
    })
  }

  /** Stops every wait (their timers would keep the process alive after a failure). */
  close(): void {
    for (const waiter of this._waiters) waiter.cancel()
    this._waiters.clear()
  }

  latency(phase: Phase): LatencyResult {
    const sent = this._map(this._sent, phase)
    const values: number[] = []
    for (const [seq, at] of this._map(this._arrived, phase))
      values.push(nsToMs(at - (sent.get(seq) as bigint)))
    return {
      n: values.length,
      p50: percentile(values, 50),
      p95: percentile(values, 95),
      p99: percentile(values, 99),
      max: Math.max(...values)
    }
  }

  burst(phase: Phase, writerMs: number): BurstResult {
    const sent = this._map(this._sent, phase)
    const arrived = this._map(this._arrived, phase)
    let first: bigint | null = null
    for (const at of sent.values()) if (first === null || at < first) first = at
    let last = 0n
    for (const at of arrived.values()) if (at > last) last = at
    const totalMs = first === null ? NaN : nsToMs(last - first)
    return { n: arrived.size, totalMs, msgsPerSec: arrived.size / (totalMs / 1000), writerMs }
  }

  private _map(maps: Map<Phase, Map<number, bigint>>, phase: Phase): Map<number, bigint> {
    let map = maps.get(phase)
    if (map === undefined) {
      map = new Map()
      maps.set(phase, map)
    }
    return map
  }
}

// ---- the sender's two phases, the same loop for Roost and the baseline ----

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** `count` sends paced at `rate` per second (a send that runs late is not made up for). */
export async function sendPaced(
  count: number,
  rate: number,
  send: (seq: number) => Promise<unknown>
): Promise<number> {
  const start = nowNs()
  const t0 = performance.now()
  for (let seq = 0; seq < count; seq++) {
    const wait = t0 + (seq * 1000) / rate - performance.now()
    if (wait > 0) await sleep(wait)
    await send(seq)
  }
  return nsToMs(nowNs() - start)
}

const PROGRESS_EVERY = 1000

/** `count` sequential awaited sends, as fast as they go; progress goes to stderr. */
export async function sendBurst(
  label: string,
  count: number,
  send: (seq: number) => Promise<unknown>
): Promise<number> {
  const start = nowNs()
  let lap = start
  for (let seq = 0; seq < count; seq++) {
    await send(seq)
    if ((seq + 1) % PROGRESS_EVERY === 0 && seq + 1 < count) {
      const now = nowNs()
      const rate = PROGRESS_EVERY / (nsToMs(now - lap) / 1000)
      lap = now
      process.stderr.write(`[bench] ${label}: ${seq + 1} sent (${rate.toFixed(0)} msgs/s)\n`)
    }
  }
  return nsToMs(nowNs() - start)
}

/** `count` sends issued at once (none awaited before the next), then all awaited. */
export async function sendFlood(
  count: number,
  send: (seq: number) => Promise<unknown>
): Promise<number> {
  const start = nowNs()
  await Promise.all(Array.from({ length: count }, (_, seq) => send(seq)))
  return nsToMs(nowNs() - start)
}

// ---- processes ----

const here = path.dirname(fileURLToPath(import.meta.url))
const CLOSE_TIMEOUT_MS = 30_000

export function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`)
}

/** Forks a member script of this directory (the parent's side). */
export function startMember(script: string, args: string[]): ChildProcess {
  const child = fork(path.join(here, script), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  child.on('error', (err) => log(`${script}: ${err.message}`))
  return child
}

export function command(child: ChildProcess, msg: ToMember): void {
  child.send(msg)
}

/** Asks the member to close cleanly; kills it if it does not exit in time. */
export async function stopMember(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  try {
    if (!child.connected) throw new Error('member is not connected')
    const closed = nextMessage(child, 'closed', CLOSE_TIMEOUT_MS)
    command(child, { t: 'close' })
    await closed
  } catch (err) {
    log(`member did not close cleanly (${(err as Error).message}): killing pid ${child.pid}`)
    child.kill('SIGKILL')
  }
  await exited
}

export async function tempDir(tag: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `roost-bench-${tag}-`))
}

/** Resolves with the child's next message of type `t`; rejects if it reports an error or exits. */
export function nextMessage<T extends FromMember['t']>(
  child: ChildProcess,
  t: T,
  timeoutMs: number
): Promise<Extract<FromMember, { t: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`no '${t}' from the member within ${timeoutMs} ms`)),
      timeoutMs
    )
    const onMessage = (msg: FromMember): void => {
      if (msg.t === 'error') done(new Error(`member failed: ${msg.message}`))
      else if (msg.t === t) done(null, msg as Extract<FromMember, { t: T }>)
    }
    const onExit = (code: number | null, signal: string | null): void => {
      done(new Error(`member exited (code ${code}, signal ${signal}) while waiting for '${t}'`))
    }
    const done = (err: Error | null, msg?: Extract<FromMember, { t: T }>): void => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (err !== null) reject(err)
      else resolve(msg as Extract<FromMember, { t: T }>)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
  })
}

/** In a member process: the parent's commands, one at a time, and replies. */
export function serveParent(handle: (msg: ToMember) => Promise<void>): void {
  let queue = Promise.resolve()
  process.on('message', (msg: ToMember) => {
    queue = queue.then(() =>
      handle(msg).catch((err: unknown) => {
        toParent({
          t: 'error',
          message: err instanceof Error ? (err.stack ?? err.message) : String(err)
        })
      })
    )
  })
  // the parent died: nothing left to measure for
  process.on('disconnect', () => process.exit(0))
}

export function toParent(msg: FromMember): void {
  process.send?.(msg)
}

/** Resolves once `check` holds, re-checked after every API event of the core (no polling). */
export function untilRoost(
  roost: Roost,
  check: () => Promise<boolean>,
  timeoutMs: number
): Promise<void> {
  return new Promise((resolve, reject) => {
    const unsubscribes: Array<() => void> = []
    let done = false
    const timer = setTimeout(
      () => finish(new Error(`condition not met within ${timeoutMs} ms`)),
      timeoutMs
    )
    const finish = (err?: unknown): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      for (const unsubscribe of unsubscribes) unsubscribe()
      if (err === undefined) resolve()
      else reject(err as Error)
    }
    const evaluation = new SerialTask(async () => {
      if (!done && (await check())) finish()
    }, finish)
    for (const event of API_EVENTS) {
      unsubscribes.push(roost.events.subscribe(event, () => evaluation.request()))
    }
    evaluation.request()
  })
}
