// Cold open, disk per message and many rooms: Roost against the raw stack, every open in a fresh
// child process (bench/cold-roost.ts, bench/cold-baseline.ts; one step each, bench/cold-proc.ts).
//
// Cold open: a room holding `count` messages is built (Roost: `send`s issued a round at a time
// without awaiting each, group-committed; baseline: a plain Autobase appended 512 at a time), its
// process closes, then fresh processes reopen it from disk and read the newest 50 messages
// (Roost: createRoost → messages(room, {limit: 50}); baseline: new Corestore + Autobase → ready
// → a reverse range read of 50 view entries). The first reopen after a build is reported on its
// own: RocksDB compacts what the build left, so it is slower than the later ones.
// Disk: the bytes of every file of the data dir (Roost) / store (baseline), per message, after the
// build and again after the first reopen.
// Many rooms: one process opens `rooms` rooms of a few messages each from disk (Roost: until
// `rooms()` lists them all; baseline: one Corestore, a namespace per plain Autobase, until each is
// ready and its newest message read), then reports its RSS after a GC (see memoryAfterGc).
import fs from 'fs/promises'
import path from 'path'
import {
  diskBytes,
  runStep,
  type BuildResult,
  type BuiltRooms,
  type OpenResult,
  type RoomsResult
} from './cold-proc.js'
import { log } from './lib.js'
import { ratios, rowsTable, type Row } from './table.js'

export interface ColdSizes {
  /** Messages in the cold-open room. */
  count: number
  /** Reopens of it, the first one included. */
  reopens: number
  rooms: number
  /** Messages in each of the many rooms. */
  roomMessages: number
}

export interface ColdOpen extends OpenResult {
  count: number
  buildMs: number
  buildMsgsPerSec: number
  /** Bytes on disk per message right after the build, and after the first reopen. */
  diskBytesPerMsg: number
  diskBytesPerMsgReopened: number
  /** The median of the reopens after the first. */
  later: OpenResult
}

export interface ColdSide {
  coldOpen: ColdOpen
  manyRooms: RoomsResult
}

export interface ColdResult {
  roost: ColdSide
  baseline: ColdSide
}

const ROOST = 'cold-roost.js'
const BASELINE = 'cold-baseline.js'

/** Per field, the median of the runs (the upper one of an even count). */
function median(runs: OpenResult[]): OpenResult {
  const mid = (pick: (r: OpenResult) => number): number => {
    const sorted = runs.map(pick).sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)] ?? NaN
  }
  return {
    openMs: mid((r) => r.openMs),
    readMs: mid((r) => r.readMs),
    lastPageMs: mid((r) => r.lastPageMs),
    lastSeq: mid((r) => r.lastSeq)
  }
}

const describe = (label: string, r: OpenResult): string =>
  `${label}: open ${r.openMs.toFixed(0)} ms + newest 50 ${r.readMs.toFixed(1)} ms = ${r.lastPageMs.toFixed(0)} ms`

export async function coldFigures(root: string, sizes: ColdSizes): Promise<ColdResult> {
  const { count, reopens } = sizes
  const dirs = { roost: path.join(root, 'cold-roost'), baseline: path.join(root, 'cold-baseline') }
  try {
    log(`cold open: Roost builds a room of ${count} messages`)
    const roostBuild = await runStep<BuildResult>(ROOST, 'build', dirs.roost, { count })
    log(`cold open: Roost built it in ${(roostBuild.buildMs / 1000).toFixed(1)} s`)
    log(`cold open: the baseline builds a plain Autobase of ${count} messages`)
    const baseBuild = await runStep<BuildResult>(BASELINE, 'build', dirs.baseline, { count })
    log(`cold open: the baseline built it in ${(baseBuild.buildMs / 1000).toFixed(1)} s`)
    const built = { roost: await diskBytes(dirs.roost), baseline: await diskBytes(dirs.baseline) }

    const opens: { roost: OpenResult[]; baseline: OpenResult[] } = { roost: [], baseline: [] }
    const reopened = { roost: 0, baseline: 0 }
    // alternated, so both sides see the same machine load
    for (let run = 1; run <= reopens; run++) {
      const roostParams = { room: roostBuild.key, count }
      const r = await runStep<OpenResult>(ROOST, 'open', dirs.roost, roostParams, true)
      const baseParams = { key: baseBuild.key, encryptionKey: baseBuild.encryptionKey, count }
      const b = await runStep<OpenResult>(BASELINE, 'open', dirs.baseline, baseParams, true)
      log(describe(`reopen ${run} Roost`, r))
      log(describe(`reopen ${run} baseline`, b))
      opens.roost.push(r)
      opens.baseline.push(b)
      if (run === 1) {
        reopened.roost = await diskBytes(dirs.roost)
        reopened.baseline = await diskBytes(dirs.baseline)
      }
    }
    const side = (which: 'roost' | 'baseline', build: BuildResult): ColdOpen => ({
      ...opens[which][0],
      count,
      buildMs: build.buildMs,
      buildMsgsPerSec: count / (build.buildMs / 1000),
      diskBytesPerMsg: built[which] / count,
      diskBytesPerMsgReopened: reopened[which] / count,
      later: median(opens[which].slice(1))
    })
    const coldOpen = { roost: side('roost', roostBuild), baseline: side('baseline', baseBuild) }
    await removeAll(Object.values(dirs))

    const manyRooms = await roomsFigures(root, sizes)
    return {
      roost: { coldOpen: coldOpen.roost, manyRooms: manyRooms.roost },
      baseline: { coldOpen: coldOpen.baseline, manyRooms: manyRooms.baseline }
    }
  } finally {
    await removeAll(Object.values(dirs))
  }
}

async function roomsFigures(
  root: string,
  { rooms, roomMessages }: ColdSizes
): Promise<{ roost: RoomsResult; baseline: RoomsResult }> {
  const dirs = {
    roost: path.join(root, 'rooms-roost'),
    baseline: path.join(root, 'rooms-baseline')
  }
  try {
    log(`many rooms: building ${rooms} rooms of ${roomMessages} messages, Roost and baseline`)
    const params = { rooms, messages: roomMessages }
    await runStep(ROOST, 'build-rooms', dirs.roost, params)
    const keys = await runStep<BuiltRooms>(BASELINE, 'build-rooms', dirs.baseline, params)
    const roost = await runStep<RoomsResult>(ROOST, 'open-rooms', dirs.roost, { rooms }, true)
    const baseline = await runStep<RoomsResult>(BASELINE, 'open-rooms', dirs.baseline, keys, true)
    for (const [label, r] of [
      ['Roost', roost],
      ['baseline', baseline]
    ] as const) {
      const mb = (r.rssBytes / 2 ** 20).toFixed(0)
      log(`many rooms, ${label}: ${r.rooms} open in ${r.openMs.toFixed(0)} ms, RSS ${mb} MB`)
    }
    return { roost, baseline }
  } finally {
    await removeAll(Object.values(dirs))
  }
}

async function removeAll(dirs: string[]): Promise<void> {
  for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true })
}

const MB = 2 ** 20

export function coldRows({ roost: r, baseline: b }: ColdResult): Row[] {
  const n = r.coldOpen.count
  const rooms = r.manyRooms.rooms
  const row = (figure: string, unit: string, pick: (side: ColdSide) => number): Row => ({
    figure,
    unit,
    roost: pick(r),
    baseline: pick(b)
  })
  return [
    row(`cold open ${n}: newest 50 shown`, 'ms', (s) => s.coldOpen.lastPageMs),
    row(`cold open ${n}: open`, 'ms', (s) => s.coldOpen.openMs),
    row(`cold open ${n}: read newest 50`, 'ms', (s) => s.coldOpen.readMs),
    row(`cold open ${n}, later reopens: newest 50 shown`, 'ms', (s) => s.coldOpen.later.lastPageMs),
    row(`cold open ${n}, later reopens: open`, 'ms', (s) => s.coldOpen.later.openMs),
    row(`disk per message after build`, 'B', (s) => s.coldOpen.diskBytesPerMsg),
    row(`disk per message after reopen`, 'B', (s) => s.coldOpen.diskBytesPerMsgReopened),
    row(`build ${n}: throughput`, 'msgs/s', (s) => s.coldOpen.buildMsgsPerSec),
    row(`${rooms} rooms: open and listed`, 'ms', (s) => s.manyRooms.openMs),
    row(`${rooms} rooms: RSS after GC`, 'MB', (s) => s.manyRooms.rssBytes / MB),
    row(`${rooms} rooms: JS heap after GC`, 'MB', (s) => s.manyRooms.heapUsedBytes / MB)
  ]
}

/** The notes printed under the cold figures' rows. */
export function coldNotes(sizes: ColdSizes): string[] {
  return [
    `cold open: a room of ${sizes.count} messages reopened from disk in a fresh process (offline core; baseline: plain Autobase with a Hyperbee view); "newest 50 shown" = createRoost / new Corestore → the newest 50 messages read, at the first reopen after the build (RocksDB compacts then); later reopens: median of ${sizes.reopens - 1}`,
    `${sizes.rooms} rooms of ${sizes.roomMessages} messages in one process, offline (baseline: one Corestore, a namespace per plain Autobase); RSS after a full GC, a 2 s settle and another GC (node --expose-gc)`,
    'targets: newest 50 shown ≤ 100 ms; disk per message ≤ 1.2× baseline; rooms open ≤ 1 s; RSS ≤ 1.3× baseline'
  ]
}

/** `--cold-only`: the cold rows and notes, then a JSON line of their own. */
export function printColdOnly(cold: ColdResult, sizes: ColdSizes): void {
  const all = coldRows(cold)
  const out = ['', rowsTable(all), '', 'ratio = Roost / baseline', ...coldNotes(sizes), '']
  process.stdout.write(out.join('\n') + '\n')
  const json = {
    bench: 'roost-cold-open',
    coldCount: sizes.count,
    roost: cold.roost,
    baseline: cold.baseline,
    ratios: ratios(all)
  }
  process.stdout.write(JSON.stringify(json) + '\n')
}
