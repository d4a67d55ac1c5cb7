// The large-room figures (bench/large-room.ts) as printed lines and as the final JSON's
// `roost.largeRoom`; no raw baseline.
import type { LargeRoomResult, LargeRoomSize } from './large-room.js'
import type { RawLargeRoomSize } from './large-room-raw.js'
import { fmt, table } from './table.js'

const MB = 2 ** 20

export const NEWCOMER_TARGET_MS = 2000
export const LATENCY_P99_TARGET_MS = 1000

/** The largest size that ran, or null when none did. */
function headline(r: LargeRoomResult): LargeRoomSize | null {
  let best: LargeRoomSize | null = null
  for (const size of r.sizes) if (best === null || size.members > best.members) best = size
  return best
}

/**
 * `roost.largeRoom`: the largest size's figures at the top, every size beside them;
 * `baseline.largeRoom`: the raw comparison's sizes.
 */
export function largeRoomJson(r: LargeRoomResult): {
  roost: Record<string, unknown>
  baseline: Record<string, unknown>
} {
  const top = headline(r)
  return {
    roost: {
      members: top?.members ?? null,
      newcomerMs: top?.newcomerMs ?? null,
      latency: top?.latency ?? null,
      cpuPerMsgPerMemberMs: top?.cpuPerMsgPerMemberMs ?? null,
      sizes: r.sizes,
      failed: r.failed.filter((f) => f.label === 'roost')
    },
    baseline: { sizes: r.raw, failed: r.failed.filter((f) => f.label === 'raw') }
  }
}

/** The raw comparison's table, with Roost / raw for CPU at the sizes both ran. */
function rawLines(r: LargeRoomResult): string[] {
  if (r.raw.length === 0) return []
  const rows: Array<[string, string, (s: RawLargeRoomSize) => number]> = [
    ['every writer added', 's', (s) => s.joinAllMs / 1000],
    ['send → visible at every member p50', 'ms', (s) => s.latency.p50],
    ['send → visible at every member p99', 'ms', (s) => s.latency.p99],
    ['CPU per message per member', 'ms', (s) => s.cpuPerMsgPerMemberMs],
    ['CPU per message per member, less idle CPU', 'ms', (s) => s.cpuPerMsgPerMemberNetMs],
    ['idle CPU per member', 'ms/s', (s) => s.idleCpuPerMemberMsPerS],
    ['RSS, every process', 'MB', (s) => s.rssBytes / MB]
  ]
  const header = ['raw Autobase', 'unit', ...r.raw.map((s) => `${s.members} members`)]
  const body = rows.map(([figure, unit, get]) => [figure, unit, ...r.raw.map((s) => fmt(get(s)))])
  const out = [
    '',
    `Raw-stack comparison: the same processes, probes and watching with a plain Autobase per member (bench/baseline.ts: a Hyperbee view, the creator the only indexer, members plain writers), no Roost code`,
    '',
    table(header, body)
  ]
  for (const raw of r.raw) {
    const roost = r.sizes.find((s) => s.members === raw.members)
    if (roost === undefined) continue
    out.push(
      `CPU per message per member at ${raw.members} members, Roost / raw: ${fmt(roost.cpuPerMsgPerMemberMs / raw.cpuPerMsgPerMemberMs)} (less idle: ${fmt(roost.cpuPerMsgPerMemberNetMs / raw.cpuPerMsgPerMemberNetMs)})`
    )
  }
  return out
}

export function largeRoomLines(r: LargeRoomResult): string[] {
  const rows: Array<[string, string, (s: LargeRoomSize) => number]> = [
    ['processes', '', (s) => s.processes],
    ['every member writable (joins 3 per host at once)', 's', (s) => s.joinAllMs / 1000],
    ['one member: createRoost → writable, p50', 'ms', (s) => s.joinP50Ms],
    ['one member: createRoost → writable, max', 'ms', (s) => s.joinMaxMs],
    ['send → visible at every member p50', 'ms', (s) => s.latency.p50],
    ['send → visible at every member p95', 'ms', (s) => s.latency.p95],
    ['send → visible at every member p99', 'ms', (s) => s.latency.p99],
    ['send → visible at every member max', 'ms', (s) => s.latency.max],
    ['CPU per message per member', 'ms', (s) => s.cpuPerMsgPerMemberMs],
    ['CPU per message per member, less idle CPU', 'ms', (s) => s.cpuPerMsgPerMemberNetMs],
    ['idle CPU per member', 'ms/s', (s) => s.idleCpuPerMemberMsPerS],
    ['newcomer: join returned → newest 50 read', 'ms', (s) => s.newcomerMs],
    ['newcomer: join call', 'ms', (s) => s.newcomerJoinMs],
    ['RSS, every process', 'MB', (s) => s.rssBytes / MB]
  ]
  const header = ['figure', 'unit', ...r.sizes.map((s) => `${s.members} members`)]
  const body = rows.map(([figure, unit, get]) => [figure, unit, ...r.sizes.map((s) => fmt(get(s)))])
  const first = r.sizes[0]
  const out = [
    '',
    first === undefined
      ? 'Large room: no size ran'
      : `Large room: one room, N members (writers); this process runs the testnet and the admin (the only indexer), ${first.processes - 1} child processes the other members, one Roost core each; ${first.messages} probes at ${first.rate}/s, round-robin from the hosted members, each seen by every other member (samples: probes × (N − 1)); CPU = every process's user + system over the messaging phase / (probes × N); no baseline for the targets`,
    ''
  ]
  if (r.sizes.length > 0) out.push(table(header, body))
  out.push(
    `targets: newcomer ≤ ${NEWCOMER_TARGET_MS} ms after join, send → visible p99 ≤ ${LATENCY_P99_TARGET_MS} ms, CPU per message per member flat as N grows`
  )
  for (const s of r.sizes) {
    if (s.newcomerError !== null)
      out.push(`${s.members} members: the newcomer failed: ${s.newcomerError}`)
  }
  out.push(...rawLines(r))
  for (const f of r.failed) {
    out.push(
      `${f.label === 'raw' ? 'raw Autobase, ' : ''}${f.members} members failed after ${fmt(f.elapsedMs / 1000)} s with ${f.joined} members writable, RSS ${fmt(f.rssBytes / MB)} MB, CPU ${fmt(f.cpuS)} s: ${f.error}`
    )
  }
  return out
}

/** `--large-only`: the lines, then the JSON line. */
export function printLargeOnly(r: LargeRoomResult): void {
  process.stdout.write(largeRoomLines(r).join('\n') + '\n\n')
  const { roost, baseline } = largeRoomJson(r)
  const json = {
    bench: 'roost-large-room',
    roost: { largeRoom: roost },
    baseline: { largeRoom: baseline }
  }
  process.stdout.write(JSON.stringify(json) + '\n')
}
