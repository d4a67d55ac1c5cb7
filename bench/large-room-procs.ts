// The large-room bench's processes and its two shared phases: the host processes (one of
// bench/large-room-host.ts or bench/large-room-raw-host.ts), members joining on them, and the
// messaging phase with its CPU accounting.
import { fork, type ChildProcess } from 'child_process'
import path from 'path'
import { fileURLToPath } from 'url'
import { log, nowNs, nsToMs, percentile, type LatencyResult } from './lib.js'
import { reply, tell, usageNow, type ProcUsage, type ToHost } from './large-room-ipc.js'
import type { Sightings } from './large-room-sightings.js'

const here = path.dirname(fileURLToPath(import.meta.url))
/** Watchdogs, not budgets: a phase fails only when nothing progresses for this long. */
export const STALL_MS = 120_000
const IDLE_WINDOW_MS = 5000
const CLOSE_TIMEOUT_MS = 120_000
const HOST_HEAP_MB = 10_240
const NO_LIMIT_MS = 24 * 3600_000

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export const cpuUs = (usage: ProcUsage[]): number => usage.reduce((sum, u) => sum + u.cpuUs, 0)

/** SIGKILL by pid; a host that exited already (its exit not seen yet) is no error. */
function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
  }
}

/** How far a size got: what a failure reports. */
export interface Progress {
  /** What the size is doing: 'joining', 'messaging', 'newcomer'. */
  phase: string
  /** Members writable, this process's included. */
  joined: number
  /** Every process's usage when it failed (null: a host could not answer). */
  usage: ProcUsage[] | null
  /** The size's hosts, once started: killed when the size runs out of time. */
  procs: Processes | null
  /** The size ran out of time (its hosts were killed for it). */
  expired: boolean
}

/** The size's processes: this one and its hosts. */
export class Processes {
  readonly hosts: ChildProcess[]
  /** Global member index → its host. */
  readonly hostOf: Map<number, ChildProcess>

  constructor() {
    this.hosts = []
    this.hostOf = new Map()
  }

  start(script: string, root: string, bootstrap: string[], count: number): void {
    for (let i = 0; i < count; i++) {
      const child = fork(path.join(here, script), [root, JSON.stringify(bootstrap)], {
        execArgv: [`--max-old-space-size=${HOST_HEAP_MB}`],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
      })
      child.on('error', (err) => log(`large room: host: ${err.message}`))
      // a reply() waits on each probe in flight: many at once when the host falls behind
      child.setMaxListeners(0)
      this.hosts.push(child)
    }
  }

  /** This process's usage, then every host's. */
  async usage(): Promise<ProcUsage[]> {
    const replies = this.hosts.map((host) => reply(host, 'usage', STALL_MS))
    for (const host of this.hosts) tell(host, { t: 'usage' })
    const own = usageNow()
    return [own, ...(await Promise.all(replies)).map((r) => r.usage)]
  }

  /** Kills every host by pid at once (a size out of time: its data dir is removed after). */
  kill(): void {
    for (const host of this.hosts) {
      if (host.exitCode !== null || host.signalCode !== null || host.pid === undefined) continue
      log(`large room: killing host pid ${host.pid}`)
      killPid(host.pid)
    }
  }

  /** Asks every host to close its members; kills (by pid) one that does not in time. */
  async stop(): Promise<void> {
    await Promise.all(
      this.hosts.map(async (host) => {
        if (host.exitCode !== null || host.signalCode !== null) return
        const exited = new Promise<void>((resolve) => host.once('exit', () => resolve()))
        try {
          const closed = reply(host, 'closed', CLOSE_TIMEOUT_MS)
          tell(host, { t: 'close' })
          await closed
        } catch (err) {
          log(`large room: host did not close (${(err as Error).message}): killing pid ${host.pid}`)
          if (host.pid !== undefined) killPid(host.pid)
        }
        await exited
      })
    )
  }
}

/** Sends `cmd` to `host`; resolves when its members are writable, fails when none is for long. */
function joinOnHost(host: ChildProcess, cmd: ToHost, joinMs: number[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer = setTimeout(stalled, STALL_MS)
    function stalled(): void {
      host.off('message', onMessage)
      reject(new Error(`no member of host pid ${host.pid} became writable for ${STALL_MS} ms`))
    }
    const onMessage = (msg: { t: string; ms?: number }): void => {
      if (msg.t !== 'joined') return
      clearTimeout(timer)
      timer = setTimeout(stalled, STALL_MS)
      joinMs.push(msg.ms as number)
      if ((joinMs.length + 1) % 10 === 0) log(`large room: ${joinMs.length + 1} members writable`)
    }
    const finish = (err: unknown): void => {
      clearTimeout(timer)
      host.off('message', onMessage)
      if (err === null) resolve()
      else reject(err as Error)
    }
    host.on('message', onMessage)
    reply(host, 'join-done', NO_LIMIT_MS).then(() => finish(null), finish)
    tell(host, cmd)
  })
}

/** Members 1 … members - 1 (0 is this process's creator) on the hosts, in contiguous ranges. */
export async function joinHosts(
  procs: Processes,
  members: number,
  progress: Progress,
  cmd: (from: number, count: number) => ToHost
): Promise<{ joinAllMs: number; joinP50Ms: number; joinMaxMs: number }> {
  const hosted = members - 1
  const hosts = procs.hosts.length
  const joinMs: number[] = []
  const start = nowNs()
  const joins: Array<Promise<void>> = []
  let from = 1
  for (let h = 0; h < hosts; h++) {
    const count = Math.floor(hosted / hosts) + (h < hosted % hosts ? 1 : 0)
    for (let m = from; m < from + count; m++) procs.hostOf.set(m, procs.hosts[h])
    joins.push(joinOnHost(procs.hosts[h], cmd(from, count), joinMs))
    from += count
  }
  const counted = setInterval(() => (progress.joined = joinMs.length + 1), 500)
  try {
    await Promise.all(joins)
  } finally {
    clearInterval(counted)
    progress.joined = joinMs.length + 1
  }
  return {
    joinAllMs: nsToMs(nowNs() - start),
    joinP50Ms: percentile(joinMs, 50),
    joinMaxMs: joinMs.reduce((a, b) => Math.max(a, b), 0)
  }
}

/** Sends probes 0 … messages - 1 from `senders[seq]`, paced at `rate` per second. */
async function sendProbes(procs: Processes, senders: number[], rate: number): Promise<void> {
  const t0 = performance.now()
  const sent: Array<Promise<unknown>> = []
  for (let seq = 0; seq < senders.length; seq++) {
    const wait = t0 + (seq * 1000) / rate - performance.now()
    if (wait > 0) await sleep(wait)
    const host = procs.hostOf.get(senders[seq]) as ChildProcess
    sent.push(reply(host, 'sent', STALL_MS))
    tell(host, { t: 'send', member: senders[seq], seq })
  }
  await Promise.all(sent)
}

function summary(values: number[]): LatencyResult {
  return {
    n: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.reduce((a, b) => Math.max(a, b), -Infinity)
  }
}

export interface PhaseResult {
  /** Send → visible over every (probe, member) pair but the sender's own, ms. */
  latency: LatencyResult
  /** CPU of every process over the messaging phase / (messages × members), ms. */
  cpuPerMsgPerMemberMs: number
  /** The same less the idle CPU of as long a span (measured just before), ms. */
  cpuPerMsgPerMemberNetMs: number
  /** Every process's CPU at rest / members, ms per second. */
  idleCpuPerMemberMsPerS: number
}

/**
 * CPU at rest over a fixed window; then the hosted members send probes round-robin at `rate`
 * and every member watches (`local`: this process's, the hosts' their own) until all saw all.
 */
export async function messagingPhase(
  procs: Processes,
  local: Sightings,
  members: number,
  opts: { messages: number; rate: number }
): Promise<PhaseResult> {
  const idle0 = await procs.usage()
  await sleep(IDLE_WINDOW_MS)
  const idle1 = await procs.usage()
  const idleCpuUsPerMs = (cpuUs(idle1) - cpuUs(idle0)) / IDLE_WINDOW_MS

  const hosted = members - 1
  const senders = Array.from({ length: opts.messages }, (_, seq) => 1 + (seq % hosted))
  log(`large room: ${opts.messages} probes at ${opts.rate}/s from ${hosted} senders`)
  const before = await procs.usage()
  const start = nowNs()
  const seen = procs.hosts.map((host) => reply(host, 'seen', NO_LIMIT_MS))
  for (const host of procs.hosts) {
    tell(host, { t: 'seen', count: opts.messages, senders, idleMs: STALL_MS })
  }
  await Promise.all([
    sendProbes(procs, senders, opts.rate),
    local.untilAll(opts.messages, STALL_MS),
    ...seen
  ])
  const phaseMs = nsToMs(nowNs() - start)
  const after = await procs.usage()
  const latencies = local.latencies(senders)
  for (const r of await Promise.all(seen)) for (const ms of r.latencies) latencies.push(ms)
  const phaseCpuUs = cpuUs(after) - cpuUs(before)
  const each = after.map((u, i) => ((u.cpuUs - before[i].cpuUs) / 1e6).toFixed(1)).join(' / ')
  log(
    `large room: all ${members} members saw every probe after ${(phaseMs / 1000).toFixed(1)} s; CPU s, this process / hosts: ${each}`
  )
  const perMsgMember = opts.messages * members * 1000
  return {
    latency: summary(latencies),
    cpuPerMsgPerMemberMs: phaseCpuUs / perMsgMember,
    cpuPerMsgPerMemberNetMs: (phaseCpuUs - idleCpuUsPerMs * phaseMs) / perMsgMember,
    idleCpuPerMemberMsPerS: idleCpuUsPerMs / members
  }
}
