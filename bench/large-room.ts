// Large rooms (issue #12, target 6): one room of N members (writers), in as few processes as the
// machine allows. This process runs the testnet and the admin (the room's only indexer); HOSTS
// child processes (bench/large-room-host.ts) run every other member, one Roost core each. Members
// join by one unlimited invite, a few at a time; then hosted members, round-robin, send probes
// at a fixed total rate and every member records when each shows (bench/large-room-sightings.ts).
// Figures per size: send → visible over every (probe, member) pair, CPU per message per member
// (every process's CPU over the messaging phase / (messages × members)), and a newcomer that joins
// afterwards: `join` returning → the newest 50 messages read. No raw baseline.
import { fork, type ChildProcess } from 'child_process'
import fs from 'fs/promises'
import path from 'path'
import { fileURLToPath } from 'url'
import createTestnet from 'hyperdht/testnet.js'
import { createRoost, type Roost } from '../src/core/roost.js'
import { log, nowNs, nsToMs, percentile, tempDir, untilRoost, type LatencyResult } from './lib.js'
import { reply, tell, usageNow, type ProcUsage } from './large-room-ipc.js'
import { Sightings } from './large-room-sightings.js'

export interface LargeRoomOptions {
  /** Member counts to run, one after another (each on a fresh testnet). */
  sizes: number[]
  /** Probes sent in the messaging phase (at least 50: the newcomer reads the newest 50). */
  messages: number
  /** Probes per second, all senders together. */
  rate: number
}

/** One size's figures, or what stopped it. */
export interface LargeRoomSize {
  members: number
  processes: number
  /** The first member's join start → the last member writable, ms. */
  joinAllMs: number
  /** Each member's createRoost → writable, ms. */
  joinP50Ms: number
  joinMaxMs: number
  messages: number
  rate: number
  latency: LatencyResult
  /** CPU of every process over the messaging phase / (messages × members), ms. */
  cpuPerMsgPerMemberMs: number
  /** The same minus the idle CPU of the same span (measured before), ms. */
  cpuPerMsgPerMemberNetMs: number
  /** Every process's CPU at rest / members, ms per second. */
  idleCpuPerMemberMsPerS: number
  /** The newcomer: `join` returning → the newest 50 messages read, ms. */
  newcomerMs: number
  /** The newcomer's `join` call, ms. */
  newcomerJoinMs: number
  /** RSS of every process together after the run, bytes. */
  rssBytes: number
  hostRssBytes: number[]
}

export interface LargeRoomFailure {
  members: number
  error: string
  /** Members writable when it stopped. */
  joined: number
  rssBytes: number
  /** CPU of every process since the size started, s. */
  cpuS: number
  elapsedMs: number
}

export interface LargeRoomResult {
  sizes: LargeRoomSize[]
  failed: LargeRoomFailure[]
}

type Testnet = Awaited<ReturnType<typeof createTestnet>>

const here = path.dirname(fileURLToPath(import.meta.url))
/** Child processes hosting members: one per core of the machine this was built for (2 vCPUs). */
const HOSTS = 2
/** Joins in flight per host. */
const JOIN_PARALLEL = 3
/** Watchdogs, not budgets: a phase fails only when nothing progresses for this long. */
const STALL_MS = 120_000
const IDLE_WINDOW_MS = 5000
const NEWCOMER_TIMEOUT_MS = 60_000
const CLOSE_TIMEOUT_MS = 120_000
const HOST_HEAP_MB = 10_240

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** The size's processes: this one and its hosts. */
class Processes {
  readonly hosts: ChildProcess[]
  /** Global member index → its host. */
  readonly hostOf: Map<number, ChildProcess>

  constructor() {
    this.hosts = []
    this.hostOf = new Map()
  }

  start(root: string, bootstrap: string[], count: number): void {
    for (let i = 0; i < count; i++) {
      const child = fork(path.join(here, 'large-room-host.js'), [root, JSON.stringify(bootstrap)], {
        execArgv: [`--max-old-space-size=${HOST_HEAP_MB}`],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc']
      })
      child.on('error', (err) => log(`large room: host: ${err.message}`))
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

  /** Asks every host to close its cores; kills (by pid) one that does not in time. */
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
          if (host.pid !== undefined) process.kill(host.pid, 'SIGKILL')
        }
        await exited
      })
    )
  }
}

const cpuUs = (usage: ProcUsage[]): number => usage.reduce((sum, u) => sum + u.cpuUs, 0)

/** Starts `from` … `from + count - 1` on `host`; resolves when all are writable. */
function joinOnHost(
  host: ChildProcess,
  code: string,
  from: number,
  count: number,
  joinMs: number[]
): Promise<void> {
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
      if (joinMs.length % 10 === 0) log(`large room: ${joinMs.length + 1} members writable`)
    }
    host.on('message', onMessage)
    const done = reply(host, 'join-done', 24 * 3600_000)
    tell(host, { t: 'join', code, from, count, parallel: JOIN_PARALLEL })
    done.then(
      () => {
        clearTimeout(timer)
        host.off('message', onMessage)
        resolve()
      },
      (err: unknown) => {
        clearTimeout(timer)
        host.off('message', onMessage)
        reject(err as Error)
      }
    )
  })
}

/** Sends probes 0 … messages - 1 from `senders[seq]`, paced at `rate` per second. */
async function sendProbes(procs: Processes, senders: number[], rate: number): Promise<void> {
  const t0 = performance.now()
  const sent: Array<Promise<unknown>> = []
  for (let seq = 0; seq < senders.length; seq++) {
    const wait = t0 + (seq * 1000) / rate - performance.now()
    if (wait > 0) await sleep(wait)
    const host = procs.hostOf.get(senders[seq]) as ChildProcess
    const done = reply(host, 'sent', STALL_MS)
    tell(host, { t: 'send', member: senders[seq], seq })
    sent.push(done)
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

/** A fresh core joins; `join` returning → the newest 50 messages, the newest probe among them. */
async function newcomer(
  dir: string,
  bootstrap: string[],
  code: string,
  lastSeq: number
): Promise<{ newcomerMs: number; newcomerJoinMs: number }> {
  const roost = await createRoost({ dataDir: dir, bootstrap, host: '127.0.0.1' })
  try {
    await roost.init({ name: 'newcomer' })
    const start = nowNs()
    const room = await roost.join(code, { timeout: NEWCOMER_TIMEOUT_MS })
    const joined = nowNs()
    const newest = `bench|lat|${lastSeq}|`
    await untilRoost(
      roost,
      async () => {
        const page = await roost.messages(room.id, { limit: 50 })
        return page.messages.length === 50 && page.messages.some((m) => m.text.startsWith(newest))
      },
      NEWCOMER_TIMEOUT_MS
    )
    return { newcomerMs: nsToMs(nowNs() - joined), newcomerJoinMs: nsToMs(joined - start) }
  } finally {
    await roost.close()
  }
}

/** How far a size got: what a failure reports. */
interface Progress {
  joined: number
  /** Every process's usage when it failed (null: a host could not answer). */
  usage: ProcUsage[] | null
}

/** One size on a fresh testnet; throws with what stopped it. */
async function runSize(
  testnet: Testnet,
  root: string,
  members: number,
  opts: LargeRoomOptions,
  progress: Progress
): Promise<LargeRoomSize> {
  const bootstrap = testnet.bootstrap.map((node) => `${node.host}:${node.port}`)
  const admin: Roost = await createRoost({
    dataDir: path.join(root, 'admin'),
    bootstrap,
    host: '127.0.0.1'
  })
  const procs = new Processes()
  try {
    await admin.init({ name: 'admin' })
    const room = await admin.createRoom({ name: 'large' })
    await admin.flush()
    const code = (await admin.createInvite(room.id)).code as string
    const sightings = new Sightings()
    sightings.watch(0, admin)

    // members 1 … members - 1 on the hosts, in contiguous ranges
    const hosted = members - 1
    const hosts = Math.min(HOSTS, hosted)
    procs.start(root, bootstrap, hosts)
    const joinMs: number[] = []
    const joinStart = nowNs()
    let from = 1
    const joins: Array<Promise<void>> = []
    for (let h = 0; h < hosts; h++) {
      const count = Math.floor(hosted / hosts) + (h < hosted % hosts ? 1 : 0)
      for (let m = from; m < from + count; m++) procs.hostOf.set(m, procs.hosts[h])
      joins.push(joinOnHost(procs.hosts[h], code, from, count, joinMs))
      from += count
    }
    const counted = setInterval(() => (progress.joined = joinMs.length + 1), 500)
    try {
      await Promise.all(joins)
    } finally {
      clearInterval(counted)
      progress.joined = joinMs.length + 1
    }
    const joinAllMs = nsToMs(nowNs() - joinStart)
    log(`large room: ${members} members writable after ${(joinAllMs / 1000).toFixed(1)} s`)

    // CPU at rest, over a fixed window
    const idle0 = await procs.usage()
    await sleep(IDLE_WINDOW_MS)
    const idle1 = await procs.usage()
    const idleCpuUsPerMs = (cpuUs(idle1) - cpuUs(idle0)) / IDLE_WINDOW_MS

    // hosted members send round-robin; every member watches
    const senders = Array.from({ length: opts.messages }, (_, seq) => 1 + (seq % hosted))
    log(`large room: ${opts.messages} probes at ${opts.rate}/s from ${hosted} senders`)
    const before = await procs.usage()
    const phaseStart = nowNs()
    const seen = procs.hosts.map((host) => reply(host, 'seen', 24 * 3600_000))
    for (const host of procs.hosts) {
      tell(host, { t: 'seen', count: opts.messages, senders, idleMs: STALL_MS })
    }
    await Promise.all([
      sendProbes(procs, senders, opts.rate),
      sightings.untilAll(opts.messages, STALL_MS),
      ...seen
    ])
    const phaseMs = nsToMs(nowNs() - phaseStart)
    const after = await procs.usage()
    const latencies = sightings.latencies(senders)
    for (const r of await Promise.all(seen)) for (const ms of r.latencies) latencies.push(ms)
    const phaseCpuUs = cpuUs(after) - cpuUs(before)
    const perMsgMember = opts.messages * members * 1000
    const each = after.map((u, i) => ((u.cpuUs - before[i].cpuUs) / 1e6).toFixed(1)).join(' / ')
    log(
      `large room: all ${members} members saw every probe after ${(phaseMs / 1000).toFixed(1)} s; CPU s, this process / hosts: ${each}`
    )

    const fresh = await newcomer(path.join(root, 'newcomer'), bootstrap, code, opts.messages - 1)
    log(`large room: newcomer read the newest 50 ${fresh.newcomerMs.toFixed(0)} ms after join`)
    const end = await procs.usage()
    return {
      members,
      processes: 1 + hosts,
      joinAllMs,
      joinP50Ms: percentile(joinMs, 50),
      joinMaxMs: joinMs.reduce((a, b) => Math.max(a, b), 0),
      messages: opts.messages,
      rate: opts.rate,
      latency: summary(latencies),
      cpuPerMsgPerMemberMs: phaseCpuUs / perMsgMember,
      cpuPerMsgPerMemberNetMs: (phaseCpuUs - idleCpuUsPerMs * phaseMs) / perMsgMember,
      idleCpuPerMemberMsPerS: idleCpuUsPerMs / members,
      ...fresh,
      rssBytes: end.reduce((sum, u) => sum + u.rssBytes, 0),
      hostRssBytes: end.slice(1).map((u) => u.rssBytes)
    }
  } catch (err) {
    progress.usage = await procs.usage().catch(() => null)
    throw err
  } finally {
    await procs.stop()
    await admin.close()
  }
}

/** Every size in turn; a size that fails is recorded with what it got to, and the next runs. */
export async function largeRoomFigures(opts: LargeRoomOptions): Promise<LargeRoomResult> {
  const result: LargeRoomResult = { sizes: [], failed: [] }
  for (const members of opts.sizes) {
    log(`large room: ${members} members`)
    const started = Date.now()
    const cpu0 = process.cpuUsage()
    const testnet = await createTestnet(3, { host: '127.0.0.1' })
    const root = await tempDir(`large-${members}`)
    const progress: Progress = { joined: 1, usage: null }
    try {
      result.sizes.push(await runSize(testnet, root, members, opts, progress))
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      log(`large room: ${members} members failed: ${message}`)
      const usage = progress.usage
      const own = process.cpuUsage(cpu0)
      result.failed.push({
        members,
        error: message,
        joined: progress.joined,
        rssBytes: (usage ?? [usageNow()]).reduce((sum, u) => sum + u.rssBytes, 0),
        cpuS: usage === null ? NaN : cpuUs(usage.slice(1)) / 1e6 + (own.user + own.system) / 1e6,
        elapsedMs: Date.now() - started
      })
    } finally {
      await testnet.destroy()
      await fs.rm(root, { recursive: true, force: true })
    }
  }
  return result
}

/**
 * The run's options from argv: `--large-sizes=20,50,200` (default; `--quick`: 6),
 * `--large-messages=N` (default 150; quick 60) and `--large-rate=R` per second (default 5; quick 10).
 */
export function largeRoomOptions(argv: string[], quick: boolean): LargeRoomOptions {
  const flag = (name: string): string | null =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? null
  const sizes = (flag('large-sizes') ?? (quick ? '6' : '20,50,200')).split(',').map(Number)
  const messages = Number(flag('large-messages') ?? (quick ? 60 : 150))
  const rate = Number(flag('large-rate') ?? (quick ? 10 : 5))
  if (sizes.some((n) => !Number.isInteger(n) || n < 2)) throw new Error('--large-sizes: N ≥ 2')
  if (!Number.isInteger(messages) || messages < 50) throw new Error('--large-messages: N ≥ 50')
  if (!(rate > 0)) throw new Error('--large-rate: R > 0')
  return { sizes, messages, rate }
}
