// File transfer (#14): Roost against the raw stack, every member in a process of its own on a
// loopback testnet this process runs (bench/files-roost.ts: a Roost core; bench/files-raw.ts: a
// plain Corestore).
//
// Transfer: a `sizeMiB` file of random bytes, sendFile at the sender, then download at a member
// that joined by invite, timed from download called to resolved (the message already visible).
// Baseline: the same bytes appended to a plain Hypercore (64 KiB blocks) in one process and
// downloaded by a second process's Corestore over a Hyperswarm connection, every block read,
// timed from the range download started (peer connected, length known) to the last block read.
// Resume: a second member downloads the same file and is killed (SIGKILL, by pid) once its
// progress shows at least half of the file held; a new process on the same data dir reads what
// it holds offline, then opens online and downloads again (joining the download the core
// resumes by itself). Refetched = fetched after the restart − (size − held at reopen).
// Memory: the first member downloads a `bigMiB` file; each process samples its RSS every 50 ms
// (with `--files-raw-big`, the raw baseline moves it too).
import type { ChildProcess } from 'child_process'
import fs from 'fs/promises'
import path from 'path'
import createTestnet from 'hyperdht/testnet.js'
import { ask, randomFile, reply, tell } from './files-ipc.js'
import { log, startMember, tempDir } from './lib.js'

const MiB = 2 ** 20
const SETUP_TIMEOUT_MS = 90_000
const CLOSE_TIMEOUT_MS = 30_000
/** Watchdogs for the whole of one send or download, not budgets. */
const TRANSFER_TIMEOUT_MS = 20 * 60_000

export interface FilesOptions {
  /** The member-to-member file, MiB. */
  sizeMiB: number
  /** The memory figure's file, MiB (`--files-big-mib=N`). */
  bigMiB: number
  /** `--files-raw-big`: the raw baseline moves the big file too (its RSS beside Roost's). */
  rawBig: boolean
}

export function filesOptions(argv: string[], quick: boolean): FilesOptions {
  const big = /^--files-big-mib=(\d+)$/.exec(
    argv.find((a) => a.startsWith('--files-big-mib=')) ?? ''
  )
  return {
    sizeMiB: quick ? 20 : 100,
    bigMiB: big !== null ? Number(big[1]) : quick ? 128 : 1024,
    rawBig: argv.includes('--files-raw-big')
  }
}

export interface TransferFigures {
  sizeBytes: number
  /** Sender: sendFile / append of the whole file. */
  storeMs: number
  downloadMs: number
  mibPerSec: number
  /** CPU time per MiB over the download: the serving process, the downloading process. */
  senderCpuMsPerMiB: number
  receiverCpuMsPerMiB: number
  /** RSS peaks, bytes: the sender storing the file, then serving it; the receiver downloading. */
  senderStorePeakRssBytes: number
  senderPeakRssBytes: number
  receiverPeakRssBytes: number
}

export interface ResumeFigures {
  sizeBytes: number
  /** The last progress the killed process reported (it may have held more). */
  heldAtKillBytes: number
  /** What the reopened data dir holds, read offline before anything resumes. */
  heldAtReopenBytes: number
  /** Bytes fetched from peers after the restart (the core's FileDownload diagnostic). */
  fetchedAfterRestartBytes: number | null
  /** fetched − (size − held at reopen), and as % of the file. */
  refetchedBytes: number | null
  refetchedPercent: number | null
  /**
   * Held at kill − held at reopen, % of the file: what the kill lost of what progress showed
   * (negative: blocks stored after the last progress event, before the kill).
   */
  lostPercent: number
  reopenMs: number
  /** Reopened online → download resolved. */
  resumeMs: number
  hashMatches: boolean
}

export interface MemoryFigures {
  sizeBytes: number
  /** Peak RSS, bytes: the sender storing the file, then serving it; the receiver downloading. */
  senderStoreRssBytes: number
  senderServeRssBytes: number
  senderRssBytes: number
  receiverRssBytes: number
  /** RSS right before the transfer (both cores open, the room joined). */
  senderBeforeRssBytes: number
  receiverBeforeRssBytes: number
  transfer: TransferFigures
  hashMatches: boolean
}

export interface FilesResult {
  roost: { transfer: TransferFigures; resume: ResumeFigures; memory: MemoryFigures }
  /** `memory`: the big file the raw way, with `--files-raw-big` only. */
  baseline: { transfer: TransferFigures; memory: TransferFigures | null }
}

type Testnet = Awaited<ReturnType<typeof createTestnet>>

/** The processes of one run, so that every one is stopped whatever fails. */
class Members {
  private _bootstrap: string
  private _children: Set<ChildProcess>

  constructor(testnet: Testnet) {
    this._bootstrap = JSON.stringify(testnet.bootstrap.map((n) => `${n.host}:${n.port}`))
    this._children = new Set()
  }

  start(script: 'files-roost.js' | 'files-raw.js', dataDir: string): ChildProcess {
    const child = startMember(script, [dataDir, this._bootstrap])
    this._children.add(child)
    child.once('exit', () => this._children.delete(child))
    return child
  }

  /** Asks the member to close; SIGKILL when it does not in time. */
  async stop(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    try {
      await ask(child, { t: 'close' }, 'closed', CLOSE_TIMEOUT_MS)
    } catch (err) {
      log(`files: pid ${child.pid} did not close (${(err as Error).message}): killing it`)
      child.kill('SIGKILL')
    }
    await exited
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this._children].map((child) => this.stop(child)))
  }
}

const rate = (bytes: number, ms: number): number => bytes / MiB / (ms / 1000)

export async function filesFigures(opts: FilesOptions): Promise<FilesResult> {
  const testnet = await createTestnet(3, { host: '127.0.0.1' })
  const root = await tempDir('files')
  const members = new Members(testnet)
  try {
    const size = opts.sizeMiB * MiB
    const source = path.join(root, 'file.bin')
    const hash = await randomFile(source, size)

    log(`files: Roost, ${opts.sizeMiB} MiB member to member`)
    const sender = members.start('files-roost.js', path.join(root, 'sender'))
    const { room } = await ask(sender, { t: 'create' }, 'created', SETUP_TIMEOUT_MS)
    const receiver = await join(members, sender, path.join(root, 'receiver'))
    const sent = await ask(sender, { t: 'send-file', path: source }, 'sent', TRANSFER_TIMEOUT_MS)
    const out = path.join(root, 'out')
    const timed = await timedDownload(sender, receiver, sent.message, out)
    const got = timed.got
    if (got.sha256 !== hash) throw new Error('files: the downloaded file differs from the sent one')
    await fs.rm(out, { recursive: true, force: true })
    const transfer = figures(
      size,
      sent.ms,
      got.ms,
      { sender: timed.senderCpuUs, receiver: got.cpuUs },
      { ...timed.senderRss, receiver: got.peakRssBytes }
    )
    log(`files: Roost ${transfer.mibPerSec.toFixed(1)} MiB/s (${(got.ms / 1000).toFixed(2)} s)`)

    log(`files: baseline, ${opts.sizeMiB} MiB plain Hypercore process to process`)
    const baseline = await rawTransfer(members, root, source, size)
    log(`files: baseline ${baseline.mibPerSec.toFixed(1)} MiB/s`)

    log(`files: resume after kill -9 at ≥ 50% of ${opts.sizeMiB} MiB`)
    const resume = await resumeFigures(members, sender, room, sent.message, root, size, hash)
    await fs.rm(source, { force: true })

    log(`files: peak RSS while ${opts.bigMiB} MiB go member to member`)
    const big = path.join(root, 'big.bin')
    const bigSize = opts.bigMiB * MiB
    const bigHash = await randomFile(big, bigSize)
    const memory = await memoryFigures(sender, receiver, root, big, bigSize, bigHash)
    let rawMemory: TransferFigures | null = null
    if (opts.rawBig) {
      log(`files: baseline, ${opts.bigMiB} MiB plain Hypercore process to process`)
      rawMemory = await rawTransfer(members, root, big, bigSize)
    }
    await fs.rm(big, { force: true })
    return {
      roost: { transfer, resume, memory },
      baseline: { transfer: baseline, memory: rawMemory }
    }
  } finally {
    await members.stopAll()
    await testnet.destroy()
    await fs.rm(root, { recursive: true, force: true })
  }
}

function figures(
  sizeBytes: number,
  storeMs: number,
  downloadMs: number,
  cpuUs: { sender: number; receiver: number },
  rss: { store: number; sender: number; receiver: number }
): TransferFigures {
  const perMiB = (us: number): number => us / 1000 / (sizeBytes / MiB)
  return {
    sizeBytes,
    storeMs,
    downloadMs,
    mibPerSec: rate(sizeBytes, downloadMs),
    senderCpuMsPerMiB: perMiB(cpuUs.sender),
    receiverCpuMsPerMiB: perMiB(cpuUs.receiver),
    senderStorePeakRssBytes: rss.store,
    senderPeakRssBytes: rss.sender,
    receiverPeakRssBytes: rss.receiver
  }
}

/** The member's RSS peak (reset by the call), RSS now and CPU time so far. */
function usage(child: ChildProcess): ReturnType<typeof reply<'peak'>> {
  return ask(child, { t: 'peak' }, 'peak', SETUP_TIMEOUT_MS)
}

/** `download` at `receiver`, with the CPU the serving `sender` spent meanwhile. */
async function timedDownload(
  sender: ChildProcess,
  receiver: ChildProcess,
  message: string,
  out: string
): Promise<{
  got: Awaited<ReturnType<typeof reply<'downloaded'>>>
  senderCpuUs: number
  /** The sender's RSS peaks before the download (the store among them) and over it. */
  senderRss: { store: number; sender: number }
}> {
  const before = await usage(sender)
  const got = await download(receiver, message, out)
  const after = await usage(sender)
  const senderRss = { store: before.rssBytes, sender: after.rssBytes }
  return { got, senderCpuUs: after.cpuUs - before.cpuUs, senderRss }
}

/** A new member in `dir`, joined by a fresh invite of the sender's. */
async function join(members: Members, sender: ChildProcess, dir: string): Promise<ChildProcess> {
  const { code } = await ask(sender, { t: 'invite' }, 'invite', SETUP_TIMEOUT_MS)
  const child = members.start('files-roost.js', dir)
  const joined = await ask(child, { t: 'join', code }, 'joined', SETUP_TIMEOUT_MS)
  log(`files: pid ${child.pid} joined in ${joined.ms.toFixed(0)} ms`)
  return child
}

function download(
  child: ChildProcess,
  message: string,
  out: string
): ReturnType<typeof reply<'downloaded'>> {
  return ask(child, { t: 'download', message, out }, 'downloaded', TRANSFER_TIMEOUT_MS)
}

async function rawTransfer(
  members: Members,
  root: string,
  source: string,
  size: number
): Promise<TransferFigures> {
  const server = members.start('files-raw.js', path.join(root, 'raw-sender'))
  const client = members.start('files-raw.js', path.join(root, 'raw-receiver'))
  try {
    const served = await ask(
      server,
      { t: 'raw-serve', path: source },
      'raw-served',
      TRANSFER_TIMEOUT_MS
    )
    const fetch = { t: 'raw-fetch', key: served.key, length: served.length } as const
    const before = await usage(server)
    const fetched = await ask(client, fetch, 'raw-fetched', TRANSFER_TIMEOUT_MS)
    const after = await usage(server)
    if (fetched.bytes !== size) throw new Error(`files: raw read ${fetched.bytes} of ${size} bytes`)
    const cpuUs = { sender: after.cpuUs - before.cpuUs, receiver: fetched.cpuUs }
    const rss = { store: before.rssBytes, sender: after.rssBytes, receiver: fetched.peakRssBytes }
    return figures(size, served.ms, fetched.ms, cpuUs, rss)
  } finally {
    await Promise.all([members.stop(server), members.stop(client)])
    await fs.rm(path.join(root, 'raw-sender'), { recursive: true, force: true })
    await fs.rm(path.join(root, 'raw-receiver'), { recursive: true, force: true })
  }
}

/** Resolves with the progress at which the child was killed; rejects if it finished first. */
function killAtHalf(child: ChildProcess, size: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMessage = (msg: { t: string; bytes?: number }): void => {
      if (msg.t === 'progress' && (msg.bytes ?? 0) >= size / 2) {
        child.off('message', onMessage)
        process.kill(child.pid as number, 'SIGKILL')
        resolve(msg.bytes as number)
      } else if (msg.t === 'downloaded' || msg.t === 'error') {
        child.off('message', onMessage)
        reject(new Error(`files: the download ended (${msg.t}) before half of it was held`))
      }
    }
    child.on('message', onMessage)
  })
}

async function resumeFigures(
  members: Members,
  sender: ChildProcess,
  room: string,
  message: string,
  root: string,
  size: number,
  hash: string
): Promise<ResumeFigures> {
  const dir = path.join(root, 'resumer')
  const out = path.join(root, 'out-resume')
  const first = await join(members, sender, dir)
  const exited = new Promise<void>((resolve) => first.once('exit', () => resolve()))
  const killed = killAtHalf(first, size)
  tell(first, { t: 'download', message, out })
  const heldAtKillBytes = await killed
  await exited
  log(`files: killed pid ${first.pid} with ${(heldAtKillBytes / MiB).toFixed(1)} MiB held`)

  const second = members.start('files-roost.js', dir)
  try {
    const reopened = await ask(second, { t: 'reopen', room, message }, 'reopened', SETUP_TIMEOUT_MS)
    const got = await download(second, message, out)
    const missing = size - reopened.heldBytes
    const refetched = got.fetched === null ? null : got.fetched - missing
    return {
      sizeBytes: size,
      heldAtKillBytes,
      heldAtReopenBytes: reopened.heldBytes,
      fetchedAfterRestartBytes: got.fetched,
      refetchedBytes: refetched,
      refetchedPercent: refetched === null ? null : (refetched / size) * 100,
      lostPercent: ((heldAtKillBytes - reopened.heldBytes) / size) * 100,
      reopenMs: reopened.ms,
      resumeMs: got.ms,
      hashMatches: got.sha256 === hash
    }
  } finally {
    await members.stop(second)
    await fs.rm(out, { recursive: true, force: true })
    await fs.rm(dir, { recursive: true, force: true })
  }
}

async function memoryFigures(
  sender: ChildProcess,
  receiver: ChildProcess,
  root: string,
  source: string,
  size: number,
  hash: string
): Promise<MemoryFigures> {
  const out = path.join(root, 'out-big')
  try {
    // from here on: the peaks of this transfer only
    const [before, receiverBefore] = await Promise.all([usage(sender), usage(receiver)])
    const sent = await ask(sender, { t: 'send-file', path: source }, 'sent', TRANSFER_TIMEOUT_MS)
    const stored = await usage(sender)
    const got = await download(receiver, sent.message, out)
    const served = await usage(sender)
    const senderStoreRssBytes = stored.rssBytes
    const senderServeRssBytes = served.rssBytes
    const receiverRssBytes = got.peakRssBytes
    const cpuUs = { sender: served.cpuUs - stored.cpuUs, receiver: got.cpuUs }
    const rss = {
      store: senderStoreRssBytes,
      sender: senderServeRssBytes,
      receiver: receiverRssBytes
    }
    return {
      sizeBytes: size,
      senderStoreRssBytes,
      senderServeRssBytes,
      senderRssBytes: Math.max(senderStoreRssBytes, senderServeRssBytes),
      receiverRssBytes,
      senderBeforeRssBytes: before.nowBytes,
      receiverBeforeRssBytes: receiverBefore.nowBytes,
      transfer: figures(size, sent.ms, got.ms, cpuUs, rss),
      hashMatches: got.sha256 === hash
    }
  } finally {
    await fs.rm(out, { recursive: true, force: true })
  }
}
