// Large rooms (issue #12, target 6): one room of N members (writers), in as few processes as the
// machine allows. This process runs the testnet and the admin (the room's only indexer); HOSTS
// child processes (bench/large-room-host.ts) run every other member, one Roost core each. Members
// join by one unlimited invite, a few at a time; then hosted members, round-robin, send probes
// at a fixed total rate and every member records when each shows (bench/large-room-sightings.ts).
// Figures per size: send → visible over every (probe, member) pair, CPU per message per member
// (every process's CPU over the messaging phase / (messages × members)), and a newcomer that joins
// afterwards: `join` returning → the newest 50 messages read. No raw baseline.
import fs from 'fs/promises'
import path from 'path'
import createTestnet from 'hyperdht/testnet.js'
import { createRoost, type Roost } from '../src/core/roost.js'
import { log, nowNs, nsToMs, tempDir, untilRoost } from './lib.js'
import { usageNow } from './large-room-ipc.js'
import { cpuUs, joinHosts, messagingPhase, Processes, type Progress } from './large-room-procs.js'
import { rawLargeRoom, type RawLargeRoomSize } from './large-room-raw.js'
import { Sightings } from './large-room-sightings.js'

export interface LargeRoomOptions {
  /** Member counts to run, one after another (each on a fresh testnet). */
  sizes: number[]
  /** Probes sent in the messaging phase (at least 50: the newcomer reads the newest 50). */
  messages: number
  /** Probes per second, all senders together. */
  rate: number
  /** Member counts of the raw-stack comparison (bench/large-room-raw.ts). */
  rawSizes: number[]
  /** Seconds a size may take before it is stopped and reported as failed. */
  budgetS: number
}

/** One size's figures with the newcomer's. */
export interface LargeRoomSize extends RawLargeRoomSize {
  /** The newcomer: `join` returning → the newest 50 messages read, ms. */
  newcomerMs: number
  /** The newcomer's `join` call, ms. */
  newcomerJoinMs: number
  /** What stopped the newcomer (its figures are then NaN); null when it read the 50. */
  newcomerError: string | null
  hostRssBytes: number[]
}

export interface LargeRoomFailure {
  /** 'roost', or 'raw' for the raw-stack comparison. */
  label: string
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
  /** The raw-stack comparison (bench/large-room-raw.ts). */
  raw: RawLargeRoomSize[]
  failed: LargeRoomFailure[]
}

/** Child processes hosting members: one per core of the machine this was built for (2 vCPUs). */
const HOSTS = 2
/** Joins in flight per host. */
const JOIN_PARALLEL = 3
/** A watchdog each for the newcomer's join and its read. */
const NEWCOMER_TIMEOUT_MS = 120_000

/** A fresh core joins; `join` returning → the newest 50 messages, the newest probe among them. */
async function newcomer(
  dir: string,
  bootstrap: string[],
  code: string,
  lastSeq: number
): Promise<{ newcomerMs: number; newcomerJoinMs: number; newcomerError: string | null }> {
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
    return {
      newcomerMs: nsToMs(nowNs() - joined),
      newcomerJoinMs: nsToMs(joined - start),
      newcomerError: null
    }
  } catch (err) {
    const newcomerError = err instanceof Error ? err.message : String(err)
    log(`large room: the newcomer failed: ${newcomerError}`)
    return { newcomerMs: NaN, newcomerJoinMs: NaN, newcomerError }
  } finally {
    await roost.close()
  }
}

/** One size on a fresh testnet; throws with what stopped it. */
async function runSize(
  bootstrap: string[],
  root: string,
  members: number,
  opts: LargeRoomOptions,
  progress: Progress
): Promise<LargeRoomSize> {
  const admin: Roost = await createRoost({
    dataDir: path.join(root, 'admin'),
    bootstrap,
    host: '127.0.0.1'
  })
  const procs = new Processes()
  progress.procs = procs
  progress.phase = 'joining'
  try {
    await admin.init({ name: 'admin' })
    const room = await admin.createRoom({ name: 'large' })
    await admin.flush()
    const code = (await admin.createInvite(room.id)).code as string
    const sightings = new Sightings()
    sightings.watch(0, admin)

    procs.start('large-room-host.js', root, bootstrap, Math.min(HOSTS, members - 1))
    const joins = await joinHosts(procs, members, progress, (from, count) => ({
      t: 'join',
      code,
      from,
      count,
      parallel: JOIN_PARALLEL
    }))
    log(`large room: ${members} members writable after ${(joins.joinAllMs / 1000).toFixed(1)} s`)
    progress.phase = 'messaging'
    const phase = await messagingPhase(procs, sightings, members, opts)

    progress.phase = 'newcomer'
    const fresh = await newcomer(path.join(root, 'newcomer'), bootstrap, code, opts.messages - 1)
    log(`large room: newcomer read the newest 50 ${fresh.newcomerMs.toFixed(0)} ms after join`)
    const end = await procs.usage()
    return {
      members,
      processes: 1 + procs.hosts.length,
      ...joins,
      messages: opts.messages,
      rate: opts.rate,
      ...phase,
      ...fresh,
      rssBytes: end.reduce((sum, u) => sum + u.rssBytes, 0),
      hostRssBytes: end.slice(1).map((u) => u.rssBytes)
    }
  } catch (err) {
    if (!progress.expired) progress.usage = await procs.usage().catch(() => null)
    throw err
  } finally {
    await procs.stop()
    await admin.close()
  }
}

/**
 * Runs `run` on a fresh testnet and temp dir; a failure is recorded with what it got to. A size
 * still running after `budgetS` has its hosts killed and is recorded as failed: the bench must end.
 */
async function attempt<T>(
  label: string,
  members: number,
  budgetS: number,
  failed: LargeRoomFailure[],
  run: (bootstrap: string[], root: string, progress: Progress) => Promise<T>
): Promise<T | null> {
  log(`large room${label === 'roost' ? '' : `, ${label}`}: ${members} members`)
  const started = Date.now()
  const cpu0 = process.cpuUsage()
  const testnet = await createTestnet(3, { host: '127.0.0.1' })
  const root = await tempDir(`large-${label}-${members}`)
  const progress: Progress = {
    phase: 'starting',
    joined: 1,
    usage: null,
    procs: null,
    expired: false
  }
  const budget = setTimeout(() => {
    progress.expired = true
    log(`large room: ${label} ${members} members not done after ${budgetS} s (${progress.phase})`)
    const procs = progress.procs
    if (procs === null) return
    procs
      .usage()
      .catch(() => null)
      .then((usage) => {
        progress.usage = usage
        procs.kill()
      })
  }, budgetS * 1000)
  try {
    return await run(
      testnet.bootstrap.map((node) => `${node.host}:${node.port}`),
      root,
      progress
    )
  } catch (err) {
    const cause = err instanceof Error ? err.message : String(err)
    const message = progress.expired
      ? `not done within the ${budgetS} s budget, still ${progress.phase} (${cause})`
      : `${progress.phase}: ${cause}`
    log(`large room${label === 'roost' ? '' : `, ${label}`}: ${members} members failed: ${message}`)
    const usage = progress.usage
    const own = process.cpuUsage(cpu0)
    failed.push({
      label,
      members,
      error: message,
      joined: progress.joined,
      rssBytes: (usage ?? [usageNow()]).reduce((sum, u) => sum + u.rssBytes, 0),
      cpuS: usage === null ? NaN : cpuUs(usage.slice(1)) / 1e6 + (own.user + own.system) / 1e6,
      elapsedMs: Date.now() - started
    })
    return null
  } finally {
    clearTimeout(budget)
    await testnet.destroy()
    await fs.rm(root, { recursive: true, force: true })
  }
}

/** Every Roost size in turn, then the raw comparison's; one that fails does not stop the rest. */
export async function largeRoomFigures(opts: LargeRoomOptions): Promise<LargeRoomResult> {
  const result: LargeRoomResult = { sizes: [], raw: [], failed: [] }
  for (const members of opts.sizes) {
    const size = await attempt(
      'roost',
      members,
      opts.budgetS,
      result.failed,
      (bootstrap, root, progress) => runSize(bootstrap, root, members, opts, progress)
    )
    if (size === null) continue
    result.sizes.push(size)
    log(
      `large room: ${members} members: send → visible p50 ${size.latency.p50.toFixed(0)} / p99 ${size.latency.p99.toFixed(0)} / max ${size.latency.max.toFixed(0)} ms, CPU per message per member ${size.cpuPerMsgPerMemberMs.toFixed(1)} ms, newcomer ${size.newcomerMs.toFixed(0)} ms`
    )
  }
  for (const members of opts.rawSizes) {
    const size = await attempt(
      'raw',
      members,
      opts.budgetS,
      result.failed,
      (bootstrap, root, progress) => rawLargeRoom(bootstrap, root, members, opts, progress)
    )
    if (size === null) continue
    result.raw.push(size)
    log(
      `large room, raw: ${members} members: send → visible p50 ${size.latency.p50.toFixed(0)} / p99 ${size.latency.p99.toFixed(0)} ms, CPU per message per member ${size.cpuPerMsgPerMemberMs.toFixed(1)} ms`
    )
  }
  return result
}

/**
 * The run's options from argv: `--large-sizes=20,50,200` (default; `--quick`: 6),
 * `--large-raw-sizes=20` (the raw comparison's; default 20, quick 6, empty for none; 50 takes ~6 min),
 * `--large-budget-s=S` (a size still running after S s is stopped and reported; default 600),
 * `--large-messages=N` (default 60) and `--large-rate=R` per second (default 1; quick 10): one
 * rate for every size (on 2 vCPUs, 20 members at 1/s keep about one core busy; 50 saturate both).
 */
export function largeRoomOptions(argv: string[], quick: boolean): LargeRoomOptions {
  const flag = (name: string): string | null =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? null
  const list = (value: string): number[] => (value === '' ? [] : value.split(',').map(Number))
  const sizes = list(flag('large-sizes') ?? (quick ? '6' : '20,50,200'))
  const rawSizes = list(flag('large-raw-sizes') ?? (quick ? '6' : '20'))
  const budgetS = Number(flag('large-budget-s') ?? 600)
  const messages = Number(flag('large-messages') ?? 60)
  const rate = Number(flag('large-rate') ?? (quick ? 10 : 1))
  if ([...sizes, ...rawSizes].some((n) => !Number.isInteger(n) || n < 2)) {
    throw new Error('--large-sizes, --large-raw-sizes: N ≥ 2')
  }
  if (!Number.isInteger(messages) || messages < 50) throw new Error('--large-messages: N ≥ 50')
  if (!(rate > 0)) throw new Error('--large-rate: R > 0')
  if (!(budgetS > 0)) throw new Error('--large-budget-s: S > 0')
  return { sizes, rawSizes, messages, rate, budgetS }
}
