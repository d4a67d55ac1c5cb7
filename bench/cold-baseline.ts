// The raw stack's side of the cold-open bench, one step per process (see bench/cold-proc.ts):
// the plain Autobase of bench/baseline.ts (Hyperbee view, encrypted), no Roost code, no swarm.
// argv: <step> <storeDir> <params JSON>
import type Autobase from 'autobase'
import b4a from 'b4a'
import Corestore from 'corestore'
import type Hyperbee from 'hyperbee'
import { messageKey, messageOp, openBase } from './baseline.js'
import {
  memoryAfterGc,
  serveStep,
  type BuildResult,
  type BuiltRooms,
  type OpenResult,
  type RoomsResult
} from './cold-proc.js'
import { log, nowNs, nsToMs, parseProbe, probeText } from './lib.js'

/** Messages per append: the most Roost's group commit puts in one. */
const BATCH = 512
const PAGE = 50
const LOG_EVERY = 10_000

const hex = (buf: Buffer): string => b4a.toString(buf, 'hex')

async function appendAll(base: Autobase<Hyperbee>, count: number, label: string): Promise<void> {
  for (let first = 0; first < count; first += BATCH) {
    const n = Math.min(BATCH, count - first)
    await base.append(Array.from({ length: n }, (_, i) => messageOp(probeText('burst', first + i))))
    const sent = first + n
    if (Math.floor(sent / LOG_EVERY) > Math.floor(first / LOG_EVERY)) {
      log(`${label}: ${sent} of ${count} appended`)
    }
  }
  await base.update()
}

/** The newest `limit` messages of the view, oldest first. */
async function newest(base: Autobase<Hyperbee>, limit: number): Promise<number[]> {
  const seqs: number[] = []
  const range = { gte: messageKey('burst', 0), lte: messageKey('burst', Number.MAX_SAFE_INTEGER) }
  for await (const entry of base.view.createReadStream(range, { reverse: true, limit })) {
    seqs.unshift(parseProbe(b4a.toString(entry.value, 'utf8'))?.seq ?? -1)
  }
  return seqs
}

async function build(dir: string, { count }: { count: number }): Promise<BuildResult> {
  const start = nowNs()
  const store = new Corestore(dir)
  const base = openBase(store, null, null)
  let built: { key: string; encryptionKey: string }
  try {
    await base.ready()
    await appendAll(base, count, 'baseline cold build')
    built = { key: hex(base.key), encryptionKey: hex(base.encryptionKey) }
  } finally {
    await base.close()
    await store.close()
  }
  return { buildMs: nsToMs(nowNs() - start), ...built }
}

async function reopen(
  dir: string,
  { key, encryptionKey, count }: { key: string; encryptionKey: string; count: number }
): Promise<OpenResult> {
  const start = nowNs()
  const store = new Corestore(dir)
  const base = openBase(store, b4a.from(key, 'hex'), b4a.from(encryptionKey, 'hex'))
  try {
    await base.ready()
    const opened = nowNs()
    const seqs = await newest(base, PAGE)
    const read = nowNs()
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
    await base.close()
    await store.close()
  }
}

/** One Corestore, one namespace per room, as Roost keeps its rooms. */
const roomStore = (store: Corestore, r: number): Corestore => store.namespace(`room-${r}`)

async function buildRooms(
  dir: string,
  { rooms, messages }: { rooms: number; messages: number }
): Promise<BuiltRooms> {
  const store = new Corestore(dir)
  const bases: Array<Autobase<Hyperbee>> = []
  try {
    for (let r = 0; r < rooms; r++) {
      const base = openBase(roomStore(store, r), null, null)
      bases.push(base)
      await base.ready()
      await appendAll(base, messages, `baseline room ${r}`)
    }
    return { keys: bases.map((b) => ({ key: hex(b.key), encryptionKey: hex(b.encryptionKey) })) }
  } finally {
    for (const base of bases) await base.close()
    await store.close()
  }
}

async function openRooms(dir: string, { keys }: BuiltRooms): Promise<RoomsResult> {
  const start = nowNs()
  const store = new Corestore(dir)
  const bases: Array<Autobase<Hyperbee>> = []
  try {
    // one after the other, as Roost opens its rooms
    for (const [r, { key, encryptionKey }] of keys.entries()) {
      const base = openBase(
        roomStore(store, r),
        b4a.from(key, 'hex'),
        b4a.from(encryptionKey, 'hex')
      )
      bases.push(base)
      await base.ready()
    }
    // Roost's room list shows each room's newest message: read it here too
    for (const base of bases) {
      if ((await newest(base, 1)).length !== 1) throw new Error('a room has no messages')
    }
    const openMs = nsToMs(nowNs() - start)
    return { openMs, rooms: bases.length, ...(await memoryAfterGc()) }
  } finally {
    for (const base of bases) await base.close()
    await store.close()
  }
}

serveStep({ build, open: reopen, 'build-rooms': buildRooms, 'open-rooms': openRooms })
