// Roost vs. raw Hyperswarm behind NATs, in the network-namespace NAT lab (test/helpers/netlab.ts).
// For each pair of NATs — cone/cone, cone/symmetric, symmetric/symmetric (a1 behind router A ↔ b
// behind router B) and two members behind one cone NAT (a1 ↔ a2) — and N runs each:
// - Roost: fresh `roost serve` members (fresh data dirs) per run; the admin (a1) creates a room kept
//   by one blind peer on the public side (started once), the joiner joins by invite, one message
//   each way (joinAndExchange). Figure: join called → both messages seen; path from the joiner's
//   status (its member peer direct or relayed, and through which relay).
// - Raw Hyperswarm: two netlab-raw-peer processes on the same hosts, the joiner's side first, the
//   admin's side once the first announced and looked up (flushed). No relay, as Hyperswarm is used
//   by default; 30 s per run. Figure: the second peer's process start → `connection`. For
//   symmetric/symmetric also with the blind peer as relay under Hyperswarm's own relay policy
//   (RELAY_ONLY_ON_FAIL=1): the "raw + relay" row.
// Usage: node dist/bench/netlab.js [--runs N] [--quick]   (root; see natLabUnavailableReason)
import { randomBytes } from 'crypto'
import fs from 'fs/promises'
import z32 from 'z32'
import {
  createNatLab,
  natLabUnavailableReason,
  NETLAB_RAW_PEER,
  type LabHost,
  type NatLab,
  type NatMode
} from '../test/helpers/netlab.js'
import {
  joinAndExchange,
  startLabBlindPeer,
  startLabMember,
  type LabMember
} from '../test/helpers/lab-members.js'
import type { RunningProcess } from '../test/helpers/processes.js'
import { log, percentile } from './lib.js'

/** `--quick`: one run per pair (a smoke run; figures not meaningful). */
const QUICK = process.argv.includes('--quick')
const RUNS = QUICK ? 1 : runsArg()

/** The raw peer that connects (the second to start) gives up after this. */
const RAW_TIMEOUT_S = 30
/** The raw peer started first waits for the second one's whole run and then some. */
const RAW_FIRST_TIMEOUT_S = RAW_TIMEOUT_S + 30
const RAW_FLUSH_TIMEOUT_MS = 30_000
const MEMBER_START_TIMEOUT_MS = 60_000
/** join (its own timeout is 120 s) and one message each way. */
const ROOST_EXCHANGE_TIMEOUT_MS = 180_000
const STOP_TIMEOUT_MS = 10_000

function runsArg(): number {
  const i = process.argv.indexOf('--runs')
  if (i === -1) return 5
  const n = Number(process.argv[i + 1])
  if (!Number.isInteger(n) || n < 1) {
    process.stderr.write(`--runs needs a positive integer, got ${process.argv[i + 1]}\n`)
    process.exit(2)
  }
  return n
}

interface Pair {
  name: string
  nat: [NatMode, NatMode]
  /** The room's admin; the raw peer that starts second (its connect time is the figure). */
  admin: LabHost
  /** The joiner; the raw peer that starts first. */
  joiner: LabHost
  /** Also measure raw Hyperswarm with the blind peer as relay (Hyperswarm's policy). */
  rawRelay: boolean
}

const PAIRS: Pair[] = [
  { name: 'cone / cone', nat: ['cone', 'cone'], admin: 'a1', joiner: 'b', rawRelay: false },
  {
    name: 'cone / symmetric',
    nat: ['cone', 'symmetric'],
    admin: 'a1',
    joiner: 'b',
    rawRelay: false
  },
  {
    name: 'symmetric / symmetric',
    nat: ['symmetric', 'symmetric'],
    admin: 'a1',
    joiner: 'b',
    rawRelay: true
  },
  {
    name: 'two members behind one NAT (cone)',
    nat: ['cone', 'cone'],
    admin: 'a1',
    joiner: 'a2',
    rawRelay: false
  }
]

type RoostRun =
  | {
      ok: true
      joinMs: number
      bothWaysMs: number
      /** How the joiner sees the admin; 'none': no member connection listed (blind peer only). */
      path: 'direct' | 'relayed' | 'none'
      relay: string | null
    }
  | { ok: false; error: string }

type RawRun =
  | {
      ok: true
      connectMs: number
      firstDataMs: number
      viaRelay: boolean
      remoteUdp: string | null
    }
  | { ok: false; reason: string; connectErrors: Record<string, number> }

interface PairResult {
  pair: Pair
  roost: RoostRun[]
  raw: RawRun[]
  rawRelay: RawRun[]
}

// ---- helpers ----

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

/** SIGTERM, then SIGKILL if it does not exit in time. */
async function stopProcess(p: RunningProcess): Promise<void> {
  try {
    await withDeadline(p.stop('SIGTERM'), STOP_TIMEOUT_MS, 'stop')
  } catch {
    await p.stop('SIGKILL')
  }
}

async function closeMember(m: LabMember): Promise<void> {
  // taken before close(), which may drop it
  let serve: RunningProcess | null = null
  try {
    serve = m.serve
  } catch {
    // not running
  }
  try {
    await withDeadline(m.close(), STOP_TIMEOUT_MS, `closing ${m.name}`)
  } catch (err) {
    log(`${m.name} did not close cleanly (${errorText(err)}): killing it`)
    await serve?.stop('SIGKILL')
    await fs.rm(m.dataDir, { recursive: true, force: true })
  }
}

/** startLabMember with a deadline; a member that comes up after the deadline is closed. */
async function startMember(lab: NatLab, host: LabHost, name: string): Promise<LabMember> {
  const starting = startLabMember(lab, host, name)
  try {
    return await withDeadline(starting, MEMBER_START_TIMEOUT_MS, `starting ${name} on ${host}`)
  } catch (err) {
    starting.then(closeMember, () => {})
    throw err
  }
}

const ms = (v: number): string => `${Math.round(v)} ms`

function median(values: number[]): number {
  return percentile(values, 50)
}

// ---- one Roost run ----

async function roostRun(lab: NatLab, pair: Pair, blindPeerKey: string): Promise<RoostRun> {
  const members: LabMember[] = []
  try {
    const admin = await startMember(lab, pair.admin, 'alice')
    members.push(admin)
    const joiner = await startMember(lab, pair.joiner, 'bob')
    members.push(joiner)
    const { room, times } = await withDeadline(
      joinAndExchange(admin, joiner, blindPeerKey),
      ROOST_EXCHANGE_TIMEOUT_MS,
      'join and one message each way'
    )
    const status = await withDeadline(joiner.api.status(), STOP_TIMEOUT_MS, 'joiner status')
    const peer = status.rooms.find((r) => r.room === room)?.peers.find((p) => !p.blindPeer)
    const path = peer === undefined ? 'none' : peer.relayed ? 'relayed' : 'direct'
    return { ok: true, ...times, path, relay: peer?.relay ?? null }
  } catch (err) {
    return { ok: false, error: errorText(err) }
  } finally {
    for (const m of members.reverse()) await closeMember(m)
  }
}

// ---- one raw Hyperswarm run ----

/** The raw peer's JSON result line (the last line with `ok`), if it printed one. */
function rawResult(p: RunningProcess): Record<string, unknown> | null {
  for (const line of [...p.stdoutLines].reverse()) {
    try {
      const parsed = JSON.parse(line) as Record<string, unknown>
      if (typeof parsed.ok === 'boolean') return parsed
    } catch {
      // not JSON
    }
  }
  return null
}

async function rawRun(lab: NatLab, pair: Pair, relayHex: string | null): Promise<RawRun> {
  const topic = `roost-netlab-bench-${randomBytes(8).toString('hex')}`
  const env: NodeJS.ProcessEnv = relayHex === null ? {} : { RELAY_ONLY_ON_FAIL: '1' }
  const args = (name: string, host: LabHost, timeoutS: number): string[] => [
    NETLAB_RAW_PEER,
    name,
    lab.ip(host),
    lab.bootstrap.join(','),
    topic,
    relayHex ?? '-',
    String(timeoutS)
  ]
  // the joiner's side first: it announces; the admin's side starts once that is done
  const first = lab.spawn(pair.joiner, args('B', pair.joiner, RAW_FIRST_TIMEOUT_S), env)
  let second: RunningProcess | null = null
  try {
    await withDeadline(
      first.waitForLine(/"event":"flushed"/),
      RAW_FLUSH_TIMEOUT_MS,
      `raw peer on ${pair.joiner}: announce and lookup`
    )
    second = lab.spawn(pair.admin, args('A', pair.admin, RAW_TIMEOUT_S), env)
    const running = second
    const code = await withDeadline(
      running.exited,
      (RAW_TIMEOUT_S + 15) * 1000,
      `raw peer on ${pair.admin}`
    )
    const result = rawResult(running)
    if (result === null) {
      const stderr = running.stderr.trim().split('\n').slice(-3).join(' | ')
      return { ok: false, reason: `exited ${code} without a result: ${stderr}`, connectErrors: {} }
    }
    const connectErrors = (result.connectErrors ?? {}) as Record<string, number>
    if (result.ok !== true) return { ok: false, reason: String(result.reason), connectErrors }
    return {
      ok: true,
      connectMs: Number(result.tConnectMs),
      firstDataMs: Number(result.tFirstDataMs),
      viaRelay: result.viaRelay === true,
      remoteUdp: typeof result.remoteUdp === 'string' ? result.remoteUdp : null
    }
  } catch (err) {
    return { ok: false, reason: errorText(err), connectErrors: {} }
  } finally {
    if (second !== null) await stopProcess(second)
    await stopProcess(first)
  }
}

function describeRaw(r: RawRun): string {
  if (!r.ok) {
    const errors = Object.keys(r.connectErrors).length ? ` ${JSON.stringify(r.connectErrors)}` : ''
    return `failed (${r.reason})${errors}`
  }
  const path = r.viaRelay ? 'relayed' : 'direct'
  return `connect ${ms(r.connectMs)}, first data ${ms(r.firstDataMs)}, ${path} (${r.remoteUdp})`
}

// ---- the bench ----

async function benchPair(
  lab: NatLab,
  pair: Pair,
  blindPeerKey: string,
  relayHex: string
): Promise<PairResult> {
  await lab.setNat(...pair.nat)
  const result: PairResult = { pair, roost: [], raw: [], rawRelay: [] }
  for (let run = 1; run <= RUNS; run++) {
    const label = `${pair.name} (${pair.admin} ↔ ${pair.joiner}) run ${run}/${RUNS}`
    const roost = await roostRun(lab, pair, blindPeerKey)
    result.roost.push(roost)
    log(
      roost.ok
        ? `${label}: Roost join ${ms(roost.joinMs)}, both ways ${ms(roost.bothWaysMs)}, ` +
            `${roost.path}${roost.relay === null ? '' : ` through ${roost.relay}`}`
        : `${label}: Roost failed (${roost.error})`
    )
    const raw = await rawRun(lab, pair, null)
    result.raw.push(raw)
    log(`${label}: raw Hyperswarm ${describeRaw(raw)}`)
    if (pair.rawRelay) {
      const relayed = await rawRun(lab, pair, relayHex)
      result.rawRelay.push(relayed)
      log(`${label}: raw Hyperswarm + relay ${describeRaw(relayed)}`)
    }
  }
  return result
}

function roostCells(runs: RoostRun[]): { both: string; join: string; path: string } {
  const ok = runs.filter((r) => r.ok)
  const failed = runs.length - ok.length
  const both = ok.map((r) => r.bothWaysMs)
  const count = (path: string): number => ok.filter((r) => r.path === path).length
  const paths = [`${count('direct')} direct`, `${count('relayed')} relayed`]
  if (count('none') > 0) paths.push(`${count('none')} no member link`)
  if (failed > 0) paths.push(`${failed} failed`)
  return {
    both: ok.length ? `${ms(median(both))} / ${ms(Math.max(...both))}` : 'failed',
    join: ok.length ? ms(median(ok.map((r) => r.joinMs))) : '-',
    path: paths.join(', ')
  }
}

function rawCells(runs: RawRun[]): { connect: string; ok: string; median: number | null } {
  const times = runs.flatMap((r) => (r.ok ? [r.connectMs] : []))
  const relayed = runs.filter((r) => r.ok && r.viaRelay).length
  const okText = `${times.length}/${runs.length}${relayed ? ` (${relayed} relayed)` : ''}`
  if (times.length === 0) return { connect: 'failed', ok: okText, median: null }
  return {
    connect: `${ms(median(times))} / ${ms(Math.max(...times))}`,
    ok: okText,
    median: median(times)
  }
}

function report(results: PairResult[], wallMs: number): void {
  const header = [
    'pair',
    'Roost join → first message both ways, median / max',
    'Roost join() resolved, median',
    'Roost path (joiner → admin)',
    'raw Hyperswarm',
    'raw connect, median / max',
    'raw ok',
    'Roost median / raw median'
  ]
  const rows: string[][] = []
  for (const { pair, roost, raw, rawRelay } of results) {
    const r = roostCells(roost)
    const roostMedian = median(roost.flatMap((x) => (x.ok ? [x.bothWaysMs] : [])))
    const rawRow = (variant: string, runs: RawRun[], name: string): string[] => {
      const c = rawCells(runs)
      const ratio =
        c.median !== null && Number.isFinite(roostMedian)
          ? `${(roostMedian / c.median).toFixed(1)}×`
          : '-'
      return [name, r.both, r.join, r.path, variant, c.connect, c.ok, ratio]
    }
    rows.push(rawRow('no relay', raw, `${pair.name} (${pair.admin} ↔ ${pair.joiner})`))
    if (pair.rawRelay) {
      rows.push(
        rawRow('+ relay (blind peer, Hyperswarm policy)', rawRelay, `${pair.name}, raw + relay`)
      )
    }
  }
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  const out = [
    '',
    `Roost vs raw Hyperswarm in the NAT lab: ${RUNS} run${RUNS === 1 ? '' : 's'} per pair, ` +
      `one blind peer on the public side (room mirror and relay)`,
    '',
    line(header),
    line(header.map(() => '---')),
    ...rows.map(line),
    '',
    'Roost: fresh members per run (already running, DHT bootstrapped); time from calling join ' +
      "until the admin's message was seen by the joiner and the joiner's reply by the admin.",
    'Raw Hyperswarm: the joiner-side peer starts first and announces; time from the admin-side ' +
      `peer's process start (DHT bootstrap included) to its \`connection\` event; ${RAW_TIMEOUT_S} s per run.`,
    'Medians are nearest-rank over the successful runs; the raw + relay row repeats the same Roost runs.',
    `Total wall time ${(wallMs / 1000).toFixed(1)} s.`,
    ''
  ]
  process.stdout.write(out.join('\n') + '\n')
  const json = {
    bench: 'roost-netlab',
    runs: RUNS,
    rawTimeoutS: RAW_TIMEOUT_S,
    wallMs,
    pairs: results.map(({ pair, roost, raw, rawRelay }) => ({
      pair: pair.name,
      nat: pair.nat,
      admin: pair.admin,
      joiner: pair.joiner,
      roost,
      raw,
      ...(pair.rawRelay ? { rawRelay } : {})
    }))
  }
  process.stdout.write(JSON.stringify(json) + '\n')
}

async function main(): Promise<void> {
  const unavailable = natLabUnavailableReason()
  if (unavailable !== null) {
    process.stderr.write(`[bench] ${unavailable}\n`)
    process.exitCode = 1
    return
  }
  const started = Date.now()
  log(`building the NAT lab (${RUNS} run${RUNS === 1 ? '' : 's'} per pair)`)
  const lab = await createNatLab()
  const results: PairResult[] = []
  try {
    const blindPeer = await withDeadline(
      startLabBlindPeer(lab),
      MEMBER_START_TIMEOUT_MS,
      'starting the blind peer'
    )
    try {
      const relayHex = z32.decode(blindPeer.key).toString('hex')
      log(`lab ${lab.tag}: blind peer ${blindPeer.key} at ${lab.ip('blind')}`)
      for (const pair of PAIRS) results.push(await benchPair(lab, pair, blindPeer.key, relayHex))
    } finally {
      await withDeadline(blindPeer.close(), STOP_TIMEOUT_MS, 'closing the blind peer').catch(
        (err: unknown) => log(errorText(err))
      )
    }
  } finally {
    await lab.destroy()
  }
  report(results, Date.now() - started)
}

main().catch((err: unknown) => {
  process.stderr.write(
    `[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`
  )
  process.exitCode = 1
})
