// Offline catch-up: a member comes back after `count` messages were written while it was away
// and every other member is offline; it gets them from the room's blind peer alone.
//
// Roost: the roost-blind-peer daemon (its own process) mirrors a room of A (admin) and B. B joins,
// becomes writable and closes; A sends `count` messages, waits until the blind peer holds all of
// its writer core, and closes. B then reopens its data dir: the clock runs from the start of
// createRoost until B's `messages` shows all `count`: once B's newest message is the last one
// sent (re-checked on B's events, no polling), B pages through `messages` and finds all of them.
//
// Baseline: no blind peer and no Roost code. The same number of the same messages sit in the
// writer core of a plain Autobase (bench/baseline.ts) whose creator stays online in its own
// process; a fresh plain Corestore + Autobase + Hyperswarm in this process downloads them
// directly from it. The clock runs from the reader's `new Corestore` until its view has all
// `count`: once the last one is in the view (re-checked on 'update'), one range read of the view
// finds all of them.
//
// Both readers may fast-forward (take the writer's signed view instead of applying every
// message) and then download view blocks on demand, so the full read is inside the clock on both
// sides: without it a fast-forwarded reader would "have" 10,000 messages after fetching one.
// In both, the serving side is one other process and the reader starts with none of the
// messages; Roost's B differs only in holding its earlier state of the room.
import { spawn, type ChildProcess } from 'child_process'
import path from 'path'
import { fileURLToPath } from 'url'
import type Autobase from 'autobase'
import b4a from 'b4a'
import Corestore from 'corestore'
import type Hyperbee from 'hyperbee'
import Hyperswarm, { type SwarmConnection } from 'hyperswarm'
import type createTestnet from 'hyperdht/testnet.js'
import { createRoost, type Roost } from '../src/core/roost.js'
import type { Message } from '../src/shared/api/contract.js'
import { SerialTask } from '../src/shared/util/serial-task.js'
import { messageKey, openBase } from './baseline.js'
import {
  log,
  nextMessage,
  nowNs,
  nsToMs,
  parseProbe,
  probeText,
  sendBurst,
  startMember,
  stopMember,
  untilRoost
} from './lib.js'

type Testnet = Awaited<ReturnType<typeof createTestnet>>

export interface CatchupResult {
  n: number
  /** Reader start (createRoost / new Corestore) → the reader has read every message. */
  totalMs: number
  /** Reader start → the reader is open (createRoost resolved / Autobase ready). */
  openMs: number
  /** Reader start → the last message sent is the newest one the reader sees. */
  newestMs: number
  msgsPerSec: number
  /** The writer's own loop of `n` sequential awaited sends, before the reader starts. */
  writerMs: number
  /** Whether the reader's Autobase fast-forwarded (skipped applying by taking a signed view). */
  fastForward: boolean
}

const SETUP_TIMEOUT_MS = 90_000
/** Watchdog, not a budget: the reader fails only when no message arrives for this long. */
const STALL_TIMEOUT_MS = 60_000
/** The blind peer follows A's writes; this is only a cap on waiting for its last blocks. */
const MIRROR_TIMEOUT_MS = 5 * 60_000
const PHASE_TIMEOUT_MS = 30 * 60_000
const DAEMON_TIMEOUT_MS = 30_000

const here = path.dirname(fileURLToPath(import.meta.url))
const BLIND_PEER_BIN = path.resolve(here, '../../blind-peer/bin/roost-blind-peer.js')

// ---- the blind peer daemon ----

interface Daemon {
  child: ChildProcess
  key: string
}

/** Starts roost-blind-peer on `storage`; resolves with its key once it printed `key <z32>`. */
function startBlindPeer(storage: string, bootstrap: string[]): Promise<Daemon> {
  const child = spawn(
    process.execPath,
    [
      BLIND_PEER_BIN,
      '--storage',
      storage,
      '--bootstrap',
      bootstrap.join(','),
      '--host',
      '127.0.0.1'
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
  let stdout = ''
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000)
  })
  child.stdout?.setEncoding('utf8')
  return new Promise((resolve, reject) => {
    let finished = false
    const timer = setTimeout(() => {
      done(new Error(`blind peer printed no key within ${DAEMON_TIMEOUT_MS} ms`))
    }, DAEMON_TIMEOUT_MS)
    const onData = (d: string): void => {
      // after the key line the daemon only logs: keep reading so its pipe never fills
      if (finished) return
      stdout += d
      const match = /^key (\S+)$/m.exec(stdout)
      if (match !== null) done(null, match[1])
    }
    const onExit = (code: number | null, signal: string | null): void => {
      done(new Error(`blind peer exited (code ${code}, signal ${signal}): ${stderr.trim()}`))
    }
    const done = (err: Error | null, key?: string): void => {
      if (finished) return
      finished = true
      clearTimeout(timer)
      child.off('exit', onExit)
      if (err === null) {
        resolve({ child, key: key as string })
        return
      }
      child.kill('SIGKILL')
      reject(err)
    }
    child.stdout?.on('data', onData)
    child.on('exit', onExit)
    child.on('error', (err) => done(err))
  })
}

/** SIGTERM (the daemon closes its store cleanly); SIGKILL if it does not exit in time. */
async function stopBlindPeer(daemon: Daemon): Promise<void> {
  const { child } = daemon
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => {
    log(`blind peer did not stop within ${DAEMON_TIMEOUT_MS} ms: killing pid ${child.pid}`)
    child.kill('SIGKILL')
  }, DAEMON_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}

// ---- Roost ----

/**
 * Resolves once B's room holds `count` messages and its newest is the last one sent. Re-checked
 * on B's onDidReceiveMessage and onDidChangeRooms events; rejects only when no message arrives
 * for `idleMs`.
 */
function untilCaughtUp(roost: Roost, room: string, count: number, idleMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false
    let timer: NodeJS.Timeout | null = null
    let seen = 0
    const finish = (err?: unknown): void => {
      if (done) return
      done = true
      if (timer !== null) clearTimeout(timer)
      offMessage()
      offRooms()
      if (err === undefined) resolve()
      else reject(err as Error)
    }
    const arm = (): void => {
      if (timer !== null) clearTimeout(timer)
      timer = setTimeout(
        () => finish(new Error(`catch-up: ${seen} of ${count} messages arrived, then none`)),
        idleMs
      )
    }
    const evaluation = new SerialTask(async () => {
      if (done) return
      const dto = await roost.room(room)
      const last = dto.lastMessage === null ? null : parseProbe(dto.lastMessage.text)
      if (dto.messageCount >= count && last !== null && last.seq === count - 1) finish()
    }, finish)
    const offMessage = roost.onDidReceiveMessage((e) => {
      if (e.room !== room) return
      seen++
      arm()
      evaluation.request()
    })
    const offRooms = roost.onDidChangeRooms(() => evaluation.request())
    arm()
    evaluation.request()
  })
}

/** Every message of the room, oldest first, paging through the API. */
async function allMessages(roost: Roost, room: string): Promise<Message[]> {
  const out: Message[] = []
  let before: string | undefined
  for (;;) {
    const page = await roost.messages(room, { before, limit: 500 })
    out.unshift(...page.messages)
    if (!page.hasMore || page.messages.length === 0) return out
    before = page.messages[0].id
  }
}

export async function roostCatchup(
  testnet: Testnet,
  root: string,
  count: number
): Promise<CatchupResult> {
  const bootstrap = testnet.bootstrap.map((node) => `${node.host}:${node.port}`)
  const open = (dir: string): Promise<Roost> =>
    createRoost({ dataDir: path.join(root, dir), bootstrap, host: '127.0.0.1' })
  let daemon: Daemon | null = null
  let a: Roost | null = null
  let b: Roost | null = null
  try {
    daemon = await startBlindPeer(path.join(root, 'catchup-blind-peer'), bootstrap)
    const blindPeer = daemon.key
    log(`roost catch-up: blind peer ${blindPeer}`)

    const alice = await open('catchup-a')
    a = alice
    await alice.init({ name: 'A' })
    const room = (await alice.createRoom({ name: 'catch-up' })).id
    await alice.addMirror(room, blindPeer)
    await alice.flush()
    const invite = await alice.createInvite(room)

    const bob = await open('catchup-b')
    b = bob
    await bob.init({ name: 'B' })
    await bob.join(invite.code as string, { timeout: SETUP_TIMEOUT_MS })
    await untilRoost(bob, async () => (await bob.room(room)).writable, SETUP_TIMEOUT_MS)
    await bob.close()
    b = null
    log('roost catch-up: B joined, became writable and closed')

    const writerMs = await sendBurst('roost catch-up: A', count, (seq) =>
      alice.send(room, { text: probeText('burst', seq) })
    )
    await untilRoost(
      alice,
      async () => {
        const [mirror] = await alice.mirrors(room)
        return mirror !== undefined && mirror.synced && mirror.localLength > 0
      },
      MIRROR_TIMEOUT_MS
    )
    await alice.close()
    a = null
    log(`roost catch-up: the blind peer holds A's ${count} messages; A closed`)

    const start = nowNs()
    const back = await open('catchup-b')
    b = back
    const openMs = nsToMs(nowNs() - start)
    let fastForward = false
    back.roomEngine(room).base.once('fast-forward', () => {
      fastForward = true
    })
    await untilCaughtUp(back, room, count, STALL_TIMEOUT_MS)
    const newestMs = nsToMs(nowNs() - start)
    // the whole list, in order, once each
    const seqs = (await allMessages(back, room)).map((m) => parseProbe(m.text)?.seq)
    const totalMs = nsToMs(nowNs() - start)
    if (seqs.length !== count || seqs.some((seq, i) => seq !== i)) {
      throw new Error(`roost catch-up: B has ${seqs.length} messages, not 0..${count - 1} in order`)
    }
    // untimed: and nobody but the blind peer to get them from
    const peers = (await back.status()).rooms.flatMap((r) => r.peers.map((p) => p.id))
    if (peers.some((id) => id !== blindPeer)) {
      throw new Error(`roost catch-up: B has peers other than the blind peer: ${peers.join(', ')}`)
    }
    log(
      `roost catch-up: B has all ${count} after ${(totalMs / 1000).toFixed(2)} s (open ${(openMs / 1000).toFixed(2)} s, newest ${(newestMs / 1000).toFixed(2)} s; peers: ${peers.length}, fast-forward: ${fastForward})`
    )
    return {
      n: count,
      totalMs,
      openMs,
      newestMs,
      msgsPerSec: count / (totalMs / 1000),
      writerMs,
      fastForward
    }
  } finally {
    if (b !== null) await b.close()
    if (a !== null) await a.close()
    if (daemon !== null) await stopBlindPeer(daemon)
  }
}

// ---- baseline ----

/** Resolves once the view holds the last message (one writer: then it holds all before it). */
function untilInView(base: Autobase<Hyperbee>, count: number, idleMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false
    let timer: NodeJS.Timeout | null = null
    const finish = (err?: unknown): void => {
      if (done) return
      done = true
      if (timer !== null) clearTimeout(timer)
      base.off('update', onUpdate)
      if (err === undefined) resolve()
      else reject(err as Error)
    }
    const arm = (): void => {
      if (timer !== null) clearTimeout(timer)
      timer = setTimeout(
        () => finish(new Error(`baseline catch-up: the view did not change for ${idleMs} ms`)),
        idleMs
      )
    }
    const evaluation = new SerialTask(async () => {
      if (!done && (await base.view.get(messageKey('burst', count - 1))) !== null) finish()
    }, finish)
    const onUpdate = (): void => {
      arm()
      evaluation.request()
    }
    base.on('update', onUpdate)
    arm()
    evaluation.request()
  })
}

export async function baselineCatchup(
  testnet: Testnet,
  root: string,
  count: number
): Promise<CatchupResult> {
  let writer: ChildProcess | null = null
  let store: Corestore | null = null
  let base: Autobase<Hyperbee> | null = null
  let swarm: Hyperswarm | null = null
  try {
    writer = startMember('catchup-writer.js', [
      path.join(root, 'catchup-base-writer'),
      JSON.stringify(testnet.bootstrap),
      String(count)
    ])
    const served = await nextMessage(writer, 'served', PHASE_TIMEOUT_MS)
    log(`baseline catch-up: the writer holds ${count} messages and is online`)

    const start = nowNs()
    const s = new Corestore(path.join(root, 'catchup-base-reader'))
    store = s
    const reader = openBase(s, b4a.from(served.key, 'hex'), b4a.from(served.encryptionKey, 'hex'))
    base = reader
    let fastForward = false
    reader.once('fast-forward', () => {
      fastForward = true
    })
    const sw = new Hyperswarm({ dht: testnet.createNode({ firewalled: false }) })
    swarm = sw
    sw.on('connection', (conn: SwarmConnection) => {
      conn.on('error', () => {})
      s.replicate(conn)
    })
    await reader.ready()
    const openMs = nsToMs(nowNs() - start)
    sw.join(reader.discoveryKey)
    await untilInView(reader, count, STALL_TIMEOUT_MS)
    const newestMs = nsToMs(nowNs() - start)
    // every message, in order, once each: one range read, as Roost's `messages` pages are
    const seqs: number[] = []
    const range = { gte: messageKey('burst', 0), lte: messageKey('burst', count - 1) }
    for await (const entry of reader.view.createReadStream(range)) {
      seqs.push(parseProbe(b4a.toString(entry.value, 'utf8'))?.seq ?? -1)
    }
    const totalMs = nsToMs(nowNs() - start)
    if (seqs.length !== count || seqs.some((seq, i) => seq !== i)) {
      throw new Error(
        `baseline catch-up: the reader has ${seqs.length} messages, not 0..${count - 1} in order`
      )
    }
    log(
      `baseline catch-up: the reader has all ${count} after ${(totalMs / 1000).toFixed(2)} s (open ${(openMs / 1000).toFixed(2)} s, newest ${(newestMs / 1000).toFixed(2)} s; fast-forward: ${fastForward})`
    )
    return {
      n: count,
      totalMs,
      openMs,
      newestMs,
      msgsPerSec: count / (totalMs / 1000),
      writerMs: served.writerMs,
      fastForward
    }
  } finally {
    if (swarm !== null) await swarm.destroy()
    if (base !== null) await base.close()
    if (store !== null) await store.close()
    if (writer !== null) await stopMember(writer)
  }
}
