// A Roost member of the file-transfer bench (bench/files.ts), in its own process: creates or
// joins the room, sends a file, downloads one (its progress streamed to the parent, which may
// kill -9 this process mid-way), or reopens a data dir whose download was interrupted.
// argv: <dataDir> <bootstrap JSON: ["host:port", ...]>
import { createRoost, type Roost } from '../src/core/roost.js'
import {
  cpuUs,
  serveFiles,
  sha256File,
  toParent,
  unknownCommand,
  type RssSampler,
  type ToFiles
} from './files-ipc.js'
import { nowNs, nsToMs, untilRoost } from './lib.js'

const JOIN_TIMEOUT_MS = 60_000
const VISIBLE_TIMEOUT_MS = 60_000

const [dataDir, bootstrapJson] = process.argv.slice(2)
const bootstrap = JSON.parse(bootstrapJson) as string[]

let roost: Roost | null = null
let room: string | null = null
/** The core resumes an interrupted download by itself when it opens (files-service resumeAll). */

function opened(): { roost: Roost; room: string } {
  if (roost === null || room === null) throw new Error('no room yet')
  return { roost, room }
}

function open(offline = false): Promise<Roost> {
  return createRoost({ dataDir, bootstrap, host: '127.0.0.1', offline })
}

async function download(
  r: Roost,
  roomId: string,
  id: string,
  out: string,
  rss: RssSampler
): Promise<void> {
  // the message has to reach us first
  await untilRoost(
    r,
    () =>
      r.fileTransfer(roomId, id).then(
        () => true,
        () => false
      ),
    VISIBLE_TIMEOUT_MS
  )
  // a download the core resumed at start is joined, not raced: one download per file
  let lastBytes = -1
  const unsubscribe = r.onDidChangeFileTransfer(({ room: at, transfer }) => {
    if (at !== roomId || transfer.message !== id) return
    if (transfer.bytes === lastBytes) return
    lastBytes = transfer.bytes
    toParent({ t: 'progress', bytes: transfer.bytes })
  })
  try {
    const start = nowNs()
    const cpuStart = cpuUs()
    rss.take()
    const transfer = await r.download(roomId, id, { out })
    const ms = nsToMs(nowNs() - start)
    const cpu = cpuUs() - cpuStart
    const peakRssBytes = rss.take()
    if (transfer.path === null) throw new Error(`download ended ${transfer.state}, no path`)
    const sha256 = await sha256File(transfer.path)
    toParent({
      t: 'downloaded',
      ms,
      bytes: transfer.bytes,
      fetched: transfer.fetched,
      sha256,
      cpuUs: cpu,
      peakRssBytes
    })
  } finally {
    unsubscribe()
  }
}

serveFiles(async (msg: ToFiles, rss: RssSampler) => {
  switch (msg.t) {
    case 'create': {
      const r = await open()
      roost = r
      await r.init({ name: 'sender' })
      room = (await r.createRoom({ name: 'files' })).id
      await r.flush()
      toParent({ t: 'created', room })
      return
    }
    case 'invite': {
      const { roost: r, room: id } = opened()
      const invite = await r.createInvite(id)
      toParent({ t: 'invite', code: invite.code as string })
      return
    }
    case 'join': {
      const start = nowNs()
      const r = await open()
      roost = r
      await r.init({ name: 'receiver' })
      const id = (await r.join(msg.code, { timeout: JOIN_TIMEOUT_MS })).id
      room = id
      await untilRoost(r, async () => (await r.room(id)).writable, JOIN_TIMEOUT_MS)
      toParent({ t: 'joined', room: id, ms: nsToMs(nowNs() - start) })
      return
    }
    case 'reopen': {
      const start = nowNs()
      // offline first: what the interrupted download left on disk, before anything resumes it
      const offline = await open(true)
      const heldBytes = (await offline.fileTransfer(msg.room, msg.message)).bytes
      await offline.close()
      roost = await open()
      room = msg.room
      toParent({ t: 'reopened', heldBytes, ms: nsToMs(nowNs() - start) })
      return
    }
    case 'send-file': {
      const { roost: r, room: id } = opened()
      const start = nowNs()
      const message = await r.sendFile(id, { path: msg.path })
      const ms = nsToMs(nowNs() - start)
      toParent({ t: 'sent', message: message.id, ms, size: message.file?.size ?? 0 })
      return
    }
    case 'download': {
      const { roost: r, room: id } = opened()
      await download(r, id, msg.message, msg.out, rss)
      return
    }
    case 'close': {
      if (roost !== null) await roost.close()
      toParent({ t: 'closed' })
      process.disconnect()
      return
    }
    case 'raw-serve':
    case 'raw-fetch':
    case 'peak':
      throw new Error(`unexpected command ${msg.t}`)
    default:
      return unknownCommand(msg)
  }
})
