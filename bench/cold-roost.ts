// Roost's side of the cold-open bench, one step per process (see bench/cold-proc.ts). Only the
// RoostApi, on an offline core (no swarm: the figures are local ones).
// argv: <step> <dataDir> <params JSON>
import { createRoost, type Roost } from '../src/core/roost.js'
import {
  memoryAfterGc,
  serveStep,
  type BuildResult,
  type OpenResult,
  type RoomsResult
} from './cold-proc.js'
import { log, nowNs, nsToMs, parseProbe, probeText } from './lib.js'

/**
 * Sends issued at once per round, then awaited: enough to fill several group commits (up to 512
 * sends an append) while keeping the pending promises and texts bounded.
 */
const ROUND = 4096
const PAGE = 50

const open = (dataDir: string): Promise<Roost> => createRoost({ dataDir, offline: true })

/** `count` sends to `room`, issued a round at a time without awaiting each. */
async function sendAll(roost: Roost, room: string, count: number, label: string): Promise<void> {
  const start = nowNs()
  for (let first = 0; first < count; first += ROUND) {
    const n = Math.min(ROUND, count - first)
    await Promise.all(
      Array.from({ length: n }, (_, i) => roost.send(room, { text: probeText('burst', first + i) }))
    )
    const sent = first + n
    if (count > ROUND) {
      const rate = sent / (nsToMs(nowNs() - start) / 1000)
      log(`${label}: ${sent} of ${count} sent (${rate.toFixed(0)} msgs/s)`)
    }
  }
}

async function build(dataDir: string, { count }: { count: number }): Promise<BuildResult> {
  const start = nowNs()
  const roost = await open(dataDir)
  let room: string
  try {
    await roost.init({ name: 'cold' })
    room = (await roost.createRoom({ name: 'cold' })).id
    await sendAll(roost, room, count, 'roost cold build')
  } finally {
    await roost.close()
  }
  return { buildMs: nsToMs(nowNs() - start), key: room, encryptionKey: '' }
}

async function reopen(
  dataDir: string,
  { room, count }: { room: string; count: number }
): Promise<OpenResult> {
  const start = nowNs()
  const roost = await open(dataDir)
  try {
    const opened = nowNs()
    const page = await roost.messages(room, { limit: PAGE })
    const read = nowNs()
    const seqs = page.messages.map((m) => parseProbe(m.text)?.seq ?? -1)
    if (seqs.length !== PAGE || seqs.some((seq, i) => seq !== count - PAGE + i)) {
      throw new Error(`the newest page is not messages ${count - PAGE}..${count - 1}: ${seqs}`)
    }
    return {
      openMs: nsToMs(opened - start),
      readMs: nsToMs(read - opened),
      lastPageMs: nsToMs(read - start),
      lastSeq: seqs[seqs.length - 1]
    }
  } finally {
    await roost.close()
  }
}

async function buildRooms(
  dataDir: string,
  { rooms, messages }: { rooms: number; messages: number }
): Promise<Record<string, never>> {
  const roost = await open(dataDir)
  try {
    await roost.init({ name: 'rooms' })
    for (let r = 0; r < rooms; r++) {
      const room = (await roost.createRoom({ name: `room ${r}` })).id
      await sendAll(roost, room, messages, `roost room ${r}`)
    }
    return {}
  } finally {
    await roost.close()
  }
}

async function openRooms(dataDir: string, { rooms }: { rooms: number }): Promise<RoomsResult> {
  const start = nowNs()
  const roost = await open(dataDir)
  try {
    const listed = await roost.rooms()
    const openMs = nsToMs(nowNs() - start)
    if (listed.length !== rooms) throw new Error(`${listed.length} rooms listed, not ${rooms}`)
    return { openMs, rooms: listed.length, ...(await memoryAfterGc()) }
  } finally {
    await roost.close()
  }
}

serveStep({ build, open: reopen, 'build-rooms': buildRooms, 'open-rooms': openRooms })
