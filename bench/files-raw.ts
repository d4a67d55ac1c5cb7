// The raw baseline of the file-transfer bench (bench/files.ts), in its own process, no Roost
// code: a plain Hypercore in a Corestore, 64 KiB blocks, replicated over a Hyperswarm
// connection. `raw-serve` appends a file to it and announces it; `raw-fetch` downloads it from
// the serving process and reads every block.
// argv: <dataDir> <bootstrap JSON: ["host:port", ...]>
import fs from 'fs'
import b4a from 'b4a'
import Corestore from 'corestore'
import type Hypercore from 'hypercore'
import HyperDHT from 'hyperdht'
import Hyperswarm, { type SwarmConnection } from 'hyperswarm'
import {
  cpuUs,
  serveFiles,
  toParent,
  unknownCommand,
  type RssSampler,
  type ToFiles
} from './files-ipc.js'
import { nowNs, nsToMs } from './lib.js'

/** Roost's blobs cores use the same (src/core/files/file-crypto.ts FILE_BLOCK_BYTES). */
const BLOCK_BYTES = 64 * 1024
/** Blocks per append. */
const APPEND_BATCH = 16
const PEER_TIMEOUT_MS = 60_000

const [dataDir, bootstrapJson] = process.argv.slice(2)
const bootstrap = JSON.parse(bootstrapJson) as string[]

type Appendable = Hypercore & { append(blocks: Buffer[]): Promise<unknown> }

let store: Corestore | null = null
let swarm: Hyperswarm | null = null
let core: Hypercore | null = null

function network(s: Corestore): Hyperswarm {
  const sw = new Hyperswarm({
    dht: new HyperDHT({ bootstrap, host: '127.0.0.1', firewalled: false })
  })
  sw.on('connection', (conn: SwarmConnection) => {
    conn.on('error', () => {})
    s.replicate(conn)
  })
  return sw
}

/** `path` appended in 64 KiB blocks, read from disk as Roost's sender reads it. */
async function appendFile(c: Appendable, path: string): Promise<void> {
  let batch: Buffer[] = []
  let pending = b4a.alloc(0)
  for await (const chunk of fs.createReadStream(path, { highWaterMark: BLOCK_BYTES })) {
    pending = pending.byteLength === 0 ? (chunk as Buffer) : b4a.concat([pending, chunk as Buffer])
    while (pending.byteLength >= BLOCK_BYTES) {
      batch.push(pending.subarray(0, BLOCK_BYTES))
      pending = pending.subarray(BLOCK_BYTES)
      if (batch.length === APPEND_BATCH) {
        await c.append(batch)
        batch = []
      }
    }
  }
  if (pending.byteLength > 0) batch.push(pending)
  if (batch.length > 0) await c.append(batch)
}

/** Resolves once the core has a peer and knows `length` blocks. */
function untilKnown(c: Hypercore, length: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (c.peers.length === 0 || c.length < length) return
      cleanup()
      resolve()
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`no peer with ${length} blocks within ${PEER_TIMEOUT_MS} ms`))
    }, PEER_TIMEOUT_MS)
    const cleanup = (): void => {
      clearTimeout(timer)
      c.off('peer-add', check)
      c.off('append', check)
    }
    c.on('peer-add', check)
    c.on('append', check)
    check()
  })
}

serveFiles(async (msg: ToFiles, rss: RssSampler) => {
  switch (msg.t) {
    case 'raw-serve': {
      const s = new Corestore(dataDir)
      store = s
      const c = s.get({ name: 'file' }) as Appendable
      core = c
      await c.ready()
      const start = nowNs()
      await appendFile(c, msg.path)
      const ms = nsToMs(nowNs() - start)
      swarm = network(s)
      await swarm.join(c.discoveryKey, { server: true, client: false }).flushed()
      toParent({ t: 'raw-served', key: b4a.toString(c.key, 'hex'), length: c.length, ms })
      return
    }
    case 'raw-fetch': {
      const s = new Corestore(dataDir)
      store = s
      const c = s.get({ key: b4a.from(msg.key, 'hex') })
      core = c
      await c.ready()
      swarm = network(s)
      swarm.join(c.discoveryKey, { server: false, client: true })
      await untilKnown(c, msg.length)
      const start = nowNs()
      const cpuStart = cpuUs()
      rss.take()
      const range = c.download({ start: 0, end: msg.length })
      let bytes = 0
      try {
        for (let i = 0; i < msg.length; i++) {
          const block = await c.get(i)
          if (block === null) throw new Error(`block ${i} missing`)
          bytes += block.byteLength
        }
      } finally {
        range.destroy()
      }
      const ms = nsToMs(nowNs() - start)
      const cpu = cpuUs() - cpuStart
      toParent({ t: 'raw-fetched', ms, bytes, cpuUs: cpu, peakRssBytes: rss.take() })
      return
    }
    case 'close': {
      if (swarm !== null) await swarm.destroy()
      if (core !== null) await core.close()
      if (store !== null) await store.close()
      toParent({ t: 'closed' })
      process.disconnect()
      return
    }
    case 'create':
    case 'invite':
    case 'join':
    case 'reopen':
    case 'send-file':
    case 'download':
    case 'peak':
      throw new Error(`unexpected command ${msg.t}`)
    default:
      return unknownCommand(msg)
  }
})
