// Roost vs. the raw stack: two members in two processes on a loopback testnet.
// Member A (reader) runs here, member B (writer) in a child process. The Roost scenario uses
// only the RoostApi; the baseline is a plain Autobase with the same two writers.
// Figures: send → visible at the other member (p50/p95/p99 over 500 messages at 50/s), a
// burst of 10,000 sequential awaited sends (first send → all visible, msgs/s), and offline
// catch-up of 10,000 messages from the blind peer alone against downloading them directly from
// an online writer (bench/catchup.ts). Then cold open of a large room, disk per message and many
// rooms in one process, each open in a fresh process (bench/cold-open.ts), search
// (bench/search.ts), a room of 20, 50 and 200 members in three processes (bench/large-room.ts) and
// file transfer: throughput, resume after kill -9 and peak RSS (bench/files.ts).
import type { ChildProcess } from 'child_process'
import fs from 'fs/promises'
import path from 'path'
import type Autobase from 'autobase'
import b4a from 'b4a'
import Corestore from 'corestore'
import type Hyperbee from 'hyperbee'
import Hyperswarm, { type SwarmConnection } from 'hyperswarm'
import createTestnet from 'hyperdht/testnet.js'
import { createRoost, type Roost } from '../src/core/roost.js'
import { SerialTask } from '../src/shared/util/serial-task.js'
import { addWriterOp, messageKey, openBase } from './baseline.js'
import { baselineCatchup, roostCatchup, type CatchupResult } from './catchup.js'
import {
  coldFigures,
  coldNotes,
  coldRows,
  printColdOnly,
  type ColdResult,
  type ColdSizes
} from './cold-open.js'
import {
  Arrivals,
  command,
  log,
  nextMessage,
  parseProbe,
  startMember,
  stopMember,
  tempDir,
  type Phase,
  type ScenarioResult
} from './lib.js'
import { fmt, ratios, rowsTable, table, type Row } from './table.js'
import { searchFigures, searchLines, type SearchResult } from './search.js'
import { largeRoomFigures, largeRoomOptions, type LargeRoomResult } from './large-room.js'
import { largeRoomJson, largeRoomLines, printLargeOnly } from './large-room-report.js'
import { filesFigures, filesOptions, type FilesResult } from './files.js'
import { filesJson, filesLines, printFilesOnly } from './files-report.js'

/** `--quick`: a smoke run of the same code with small counts (figures not comparable). */
const QUICK = process.argv.includes('--quick')
const LATENCY_COUNT = QUICK ? 100 : 500
const LATENCY_RATE = 50
const BURST_COUNT = QUICK ? 500 : 10_000
const CATCHUP_COUNT = QUICK ? 500 : 10_000
/**
 * `--catchup-only [--runs=N]`: only Roost's offline catch-up (bench/catchup.ts), N times in a
 * row (default 1) on one testnet, each figure printed with its fast-forward flag.
 */
const CATCHUP_ONLY = process.argv.includes('--catchup-only')
const RUNS = Number(
  /^--runs=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--runs=')) ?? '')?.[1] ?? 1
)
/** `--cold-only`: only the cold-open, disk and many-rooms figures (bench/cold-open.ts). */
const COLD_ONLY = process.argv.includes('--cold-only')
/** `--search-only`: only the search figures (bench/search.ts). */
const SEARCH_ONLY = process.argv.includes('--search-only')
const SEARCH_COUNT = QUICK ? 5_000 : 100_000
/** `--large-only`: only the large-room figures (bench/large-room.ts; its flags there). */
const LARGE_ONLY = process.argv.includes('--large-only')
const LARGE = largeRoomOptions(process.argv, QUICK)
/**
 * `--files-only [--files-big-mib=N] [--files-raw-big]`: only the file-transfer figures
 * (bench/files.ts); `--files-raw-big` moves the big file the raw way too (~1.5 min more).
 */
const FILES_ONLY = process.argv.includes('--files-only')
const FILES = filesOptions(process.argv, QUICK)
const COLD: ColdSizes = {
  count: QUICK ? 5_000 : 100_000,
  reopens: 3,
  rooms: 50,
  roomMessages: 5
}

type Testnet = Awaited<ReturnType<typeof createTestnet>>

const SETUP_TIMEOUT_MS = 90_000
/** Watchdogs, not budgets: a phase fails only when no message arrives at A for this long. */
const STALL_TIMEOUT_MS = 60_000
/** The writer's side of a phase; Roost's burst alone takes ~3 min on a 2-vCPU machine. */
const PHASE_TIMEOUT_MS = 30 * 60_000
/** The two measured phases; B sends, A's `arrivals` sees. */
async function runPhases(
  label: string,
  child: ChildProcess,
  arrivals: Arrivals
): Promise<Omit<ScenarioResult, 'setupMs'>> {
  log(`${label}: ${LATENCY_COUNT} messages at ${LATENCY_RATE}/s`)
  const latencyDone = nextMessage(child, 'latency-done', PHASE_TIMEOUT_MS)
  command(child, { t: 'latency', count: LATENCY_COUNT, rate: LATENCY_RATE })
  await Promise.all([latencyDone, arrivals.waitFor('lat', LATENCY_COUNT, STALL_TIMEOUT_MS)])
  const latency = arrivals.latency('lat')

  log(`${label}: burst of ${BURST_COUNT} sequential sends`)
  const burstDone = nextMessage(child, 'burst-done', PHASE_TIMEOUT_MS)
  command(child, { t: 'burst', count: BURST_COUNT })
  const [{ writerMs }] = await Promise.all([
    burstDone,
    arrivals.waitFor('burst', BURST_COUNT, STALL_TIMEOUT_MS)
  ])
  const burst = arrivals.burst('burst', writerMs)

  log(`${label}: ${BURST_COUNT} sends issued at once`)
  const floodDone = nextMessage(child, 'flood-done', PHASE_TIMEOUT_MS)
  command(child, { t: 'flood', count: BURST_COUNT })
  const [flooded] = await Promise.all([
    floodDone,
    arrivals.waitFor('flood', BURST_COUNT, STALL_TIMEOUT_MS)
  ])
  return { latency, burst, flood: arrivals.burst('flood', flooded.writerMs) }
}

// ---- Roost: A and B are Roost cores; B joins by invite ----

async function roostScenario(testnet: Testnet, root: string): Promise<ScenarioResult> {
  const bootstrap = testnet.bootstrap.map((node) => `${node.host}:${node.port}`)
  const roost: Roost = await createRoost({
    dataDir: path.join(root, 'roost-a'),
    bootstrap,
    host: '127.0.0.1'
  })
  const arrivals = new Arrivals()
  let child: ChildProcess | null = null
  let unsubscribe = (): void => {}
  try {
    await roost.init({ name: 'A' })
    const room = await roost.createRoom({ name: 'bench' })
    await roost.flush()
    const invite = await roost.createInvite(room.id)

    unsubscribe = roost.onDidReceiveMessage(({ room: id, message }) => {
      if (id !== room.id) return
      const probe = parseProbe(message.text)
      if (probe !== null) arrivals.record(probe.phase, probe.seq, probe.sentNs)
    })

    child = startMember('roost-member.js', [path.join(root, 'roost-b'), JSON.stringify(bootstrap)])
    const ready = nextMessage(child, 'ready', SETUP_TIMEOUT_MS)
    command(child, { t: 'join', code: invite.code as string })
    const { ms: setupMs } = await ready
    log(`roost: B joined and writable after ${setupMs.toFixed(0)} ms`)

    return { setupMs, ...(await runPhases('roost', child, arrivals)) }
  } finally {
    arrivals.close()
    unsubscribe()
    if (child !== null) await stopMember(child)
    await roost.close()
  }
}

// ---- baseline: plain Autobase, A creates it and adds B as a writer ----

/** Records each probe the first time it shows in A's view (scans on every 'update'). */
function watchView(base: Autobase<Hyperbee>, arrivals: Arrivals): () => void {
  const next: Record<Phase, number> = { lat: 0, burst: 0, flood: 0 }
  let stopped = false
  const scan = new SerialTask(
    async () => {
      for (const phase of ['lat', 'burst', 'flood'] as const) {
        for (;;) {
          const entry = await base.view.get(messageKey(phase, next[phase]))
          if (entry === null) break
          const probe = parseProbe(b4a.toString(entry.value, 'utf8'))
          if (probe !== null) arrivals.record(probe.phase, probe.seq, probe.sentNs)
          next[phase]++
        }
      }
    },
    (err) => {
      if (!stopped) log(`baseline: view scan failed: ${(err as Error).message}`)
    }
  )
  const onUpdate = (): void => {
    if (!stopped) scan.request()
  }
  base.on('update', onUpdate)
  return () => {
    stopped = true
    base.off('update', onUpdate)
  }
}

async function baselineScenario(testnet: Testnet, root: string): Promise<ScenarioResult> {
  const store = new Corestore(path.join(root, 'base-a'))
  const base = openBase(store, null, null)
  const swarm = new Hyperswarm({ dht: testnet.createNode({ firewalled: false }) })
  const arrivals = new Arrivals()
  let child: ChildProcess | null = null
  let unwatch = (): void => {}
  try {
    await base.ready()
    swarm.on('connection', (conn: SwarmConnection) => {
      conn.on('error', () => {})
      store.replicate(conn)
    })
    await swarm.join(base.discoveryKey).flushed()

    unwatch = watchView(base, arrivals)

    child = startMember('baseline-member.js', [
      path.join(root, 'base-b'),
      JSON.stringify(testnet.bootstrap)
    ])
    const writer = nextMessage(child, 'writer', SETUP_TIMEOUT_MS)
    command(child, {
      t: 'open',
      key: b4a.toString(base.key, 'hex'),
      encryptionKey: b4a.toString(base.encryptionKey, 'hex')
    })
    const { key } = await writer
    const ready = nextMessage(child, 'ready', SETUP_TIMEOUT_MS)
    await base.append(addWriterOp(b4a.from(key, 'hex')))
    const { ms: setupMs } = await ready
    log(`baseline: B writable ${setupMs.toFixed(0)} ms after announcing its writer key`)

    return { setupMs, ...(await runPhases('baseline', child, arrivals)) }
  } finally {
    arrivals.close()
    unwatch()
    if (child !== null) await stopMember(child)
    await swarm.destroy()
    await base.close()
    await store.close()
  }
}

// ---- report ----

/** Both scenarios' figures, with the catch-up pair of bench/catchup.ts. */
interface Results {
  roost: ScenarioResult
  baseline: ScenarioResult
  roostCatchup: CatchupResult
  baselineCatchup: CatchupResult
  cold: ColdResult
  search: SearchResult
  large: LargeRoomResult
  files: FilesResult
}

function rows({
  roost: r,
  baseline: b,
  roostCatchup: rc,
  baselineCatchup: bc,
  cold
}: Results): Row[] {
  return [
    { figure: 'send → visible p50', unit: 'ms', roost: r.latency.p50, baseline: b.latency.p50 },
    { figure: 'send → visible p95', unit: 'ms', roost: r.latency.p95, baseline: b.latency.p95 },
    { figure: 'send → visible p99', unit: 'ms', roost: r.latency.p99, baseline: b.latency.p99 },
    {
      figure: `burst ${BURST_COUNT}: all visible`,
      unit: 's',
      roost: r.burst.totalMs / 1000,
      baseline: b.burst.totalMs / 1000
    },
    {
      figure: `burst ${BURST_COUNT}: throughput`,
      unit: 'msgs/s',
      roost: r.burst.msgsPerSec,
      baseline: b.burst.msgsPerSec
    },
    {
      figure: `${BURST_COUNT} sends at once: all visible`,
      unit: 's',
      roost: r.flood.totalMs / 1000,
      baseline: b.flood.totalMs / 1000
    },
    {
      figure: `${BURST_COUNT} sends at once: throughput`,
      unit: 'msgs/s',
      roost: r.flood.msgsPerSec,
      baseline: b.flood.msgsPerSec
    },
    {
      figure: `catch-up ${CATCHUP_COUNT} from blind peer: time`,
      unit: 's',
      roost: rc.totalMs / 1000,
      baseline: bc.totalMs / 1000
    },
    {
      figure: `catch-up ${CATCHUP_COUNT} from blind peer: throughput`,
      unit: 'msgs/s',
      roost: rc.msgsPerSec,
      baseline: bc.msgsPerSec
    },
    ...coldRows(cold)
  ]
}

function report(results: Results): void {
  const { roost: r, baseline: b, roostCatchup: rc, baselineCatchup: bc, cold } = results
  const all = rows(results)
  const large = largeRoomJson(results.large)
  const files = filesJson(results.files)
  const out = [
    '',
    `Roost vs raw Autobase baseline: 2 members, 2 processes, loopback testnet (${LATENCY_COUNT} msgs @ ${LATENCY_RATE}/s; burst of ${BURST_COUNT} sequential awaited sends; then ${BURST_COUNT} sends issued at once)`,
    '',
    rowsTable(all),
    '',
    'ratio = Roost / baseline (latency and time: above 1 is slower; msgs/s: below 1 is slower)',
    `latency max: Roost ${fmt(r.latency.max)} ms, baseline ${fmt(b.latency.max)} ms`,
    `burst, writer's own loop: Roost ${fmt(r.burst.writerMs / 1000)} s, baseline ${fmt(b.burst.writerMs / 1000)} s`,
    `setup, B writable: Roost ${fmt(r.setupMs)} ms (join by invite), baseline ${fmt(b.setupMs)} ms (add-writer op)`,
    `catch-up: Roost = B reopens its data dir (createRoost → paging through messages shows all ${CATCHUP_COUNT}) with A offline and only the roost-blind-peer daemon online; baseline = a fresh plain Corestore + Autobase reader (new Corestore → a range read of its view finds all ${CATCHUP_COUNT}) downloading the same messages directly from the online plain-Autobase writer that wrote them, no blind peer`,
    `catch-up, reader open / newest message seen / all read: Roost ${fmt(rc.openMs / 1000)} / ${fmt(rc.newestMs / 1000)} / ${fmt(rc.totalMs / 1000)} s, baseline ${fmt(bc.openMs / 1000)} / ${fmt(bc.newestMs / 1000)} / ${fmt(bc.totalMs / 1000)} s`,
    `catch-up, writer's own loop before the reader starts: Roost ${fmt(rc.writerMs / 1000)} s, baseline ${fmt(bc.writerMs / 1000)} s; reader fast-forwarded: Roost ${rc.fastForward ? 'yes' : 'no'}, baseline ${bc.fastForward ? 'yes' : 'no'}`,
    ...coldNotes(COLD),
    ...searchLines(results.search),
    ...largeRoomLines(results.large),
    ...filesLines(results.files),
    ''
  ]
  process.stdout.write(out.join('\n') + '\n')
  const json = {
    bench: 'roost-vs-autobase',
    latencyCount: LATENCY_COUNT,
    latencyRate: LATENCY_RATE,
    burstCount: BURST_COUNT,
    catchupCount: CATCHUP_COUNT,
    coldCount: COLD.count,
    roost: { ...r, catchup: rc, ...cold.roost, largeRoom: large.roost, files: files.roost },
    baseline: {
      ...b,
      catchup: bc,
      ...cold.baseline,
      largeRoom: large.baseline,
      files: files.baseline
    },
    search: results.search,
    // the files figures print a table of their own (filesLines)
    ratios: { ...ratios(all), ...files.ratios }
  }
  process.stdout.write(JSON.stringify(json) + '\n')
}

async function catchupOnly(): Promise<void> {
  const started = Date.now()
  const testnet = await createTestnet(3, { host: '127.0.0.1' })
  const figures: CatchupResult[] = []
  try {
    for (let run = 1; run <= RUNS; run++) {
      const root = await tempDir(`catchup-${run}`)
      try {
        log(`catch-up run ${run} of ${RUNS}: ${CATCHUP_COUNT} messages`)
        figures.push(await roostCatchup(testnet, root, CATCHUP_COUNT))
      } finally {
        await fs.rm(root, { recursive: true, force: true })
      }
    }
  } finally {
    await testnet.destroy()
  }
  const body = figures.map((f, i) => [
    String(i + 1),
    fmt(f.openMs / 1000),
    fmt(f.newestMs / 1000),
    fmt(f.totalMs / 1000),
    fmt(f.msgsPerSec),
    f.fastForward ? 'yes' : 'no'
  ])
  const header = ['run', 'open s', 'newest s', 'all s', 'msgs/s', 'fast-forward']
  process.stdout.write(
    `\nRoost catch-up of ${CATCHUP_COUNT} from the blind peer alone, ${RUNS} runs\n\n${table(header, body)}\n`
  )
  process.stdout.write(
    JSON.stringify({ bench: 'roost-catchup', catchupCount: CATCHUP_COUNT, runs: figures }) + '\n'
  )
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

/** The cold figures in a temp dir of their own, removed afterwards. */
async function coldRun(): Promise<ColdResult> {
  const root = await tempDir('cold')
  try {
    return await coldFigures(root, COLD)
  } finally {
    await fs.rm(root, { recursive: true, force: true })
  }
}

async function coldOnly(): Promise<void> {
  const started = Date.now()
  printColdOnly(await coldRun(), COLD)
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

async function searchRun(): Promise<SearchResult> {
  const root = await tempDir('search')
  try {
    return await searchFigures(root, SEARCH_COUNT)
  } finally {
    await fs.rm(root, { recursive: true, force: true })
  }
}

async function searchOnly(): Promise<void> {
  const result = await searchRun()
  process.stdout.write(searchLines(result).join('\n') + '\n\n')
  process.stdout.write(JSON.stringify({ bench: 'roost-search', search: result }) + '\n')
}

async function largeOnly(): Promise<void> {
  const started = Date.now()
  printLargeOnly(await largeRoomFigures(LARGE))
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

async function filesOnly(): Promise<void> {
  const started = Date.now()
  printFilesOnly(await filesFigures(FILES))
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

async function main(): Promise<void> {
  if (FILES_ONLY) return filesOnly()
  if (LARGE_ONLY) return largeOnly()
  if (CATCHUP_ONLY) return catchupOnly()
  if (COLD_ONLY) return coldOnly()
  if (SEARCH_ONLY) return searchOnly()
  const started = Date.now()
  const testnet = await createTestnet(3, { host: '127.0.0.1' })
  const root = await tempDir('run')
  let network: Omit<Results, 'cold' | 'search' | 'large' | 'files'>
  try {
    const roost = await roostScenario(testnet, root)
    const baseline = await baselineScenario(testnet, root)
    log(`catch-up of ${CATCHUP_COUNT} messages`)
    const roostCatchupResult = await roostCatchup(testnet, root, CATCHUP_COUNT)
    const baselineCatchupResult = await baselineCatchup(testnet, root, CATCHUP_COUNT)
    network = {
      roost,
      baseline,
      roostCatchup: roostCatchupResult,
      baselineCatchup: baselineCatchupResult
    }
  } finally {
    await testnet.destroy()
    await fs.rm(root, { recursive: true, force: true })
  }
  log(`cold open of ${COLD.count} messages, disk per message, ${COLD.rooms} rooms`)
  const cold = await coldRun()
  log(`search over ${SEARCH_COUNT} messages`)
  const search = await searchRun()
  log(`large room: ${LARGE.sizes.join(', ')} members`)
  const large = await largeRoomFigures(LARGE)
  log(`files: ${FILES.sizeMiB} MiB transfer and resume, ${FILES.bigMiB} MiB for peak RSS`)
  const files = await filesFigures(FILES)
  report({ ...network, cold, search, large, files })
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

main().catch((err: unknown) => {
  process.stderr.write(
    `[bench] failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`
  )
  process.exitCode = 1
})
