// The large room's raw-stack comparison: one process hosting many plain Autobase writers (no
// Roost code: bench/baseline.ts's Autobase, a Corestore and a Hyperswarm each), commanded over
// IPC as bench/large-room-host.ts is.
// argv: <root dir> <bootstrap JSON: ["host:port", ...]>
import path from 'path'
import type Autobase from 'autobase'
import b4a from 'b4a'
import Corestore from 'corestore'
import type Hyperbee from 'hyperbee'
import HyperDHT from 'hyperdht'
import Hyperswarm, { type SwarmConnection } from 'hyperswarm'
import { messageOp, openBase, waitWritable } from './baseline.js'
import { nowNs, nsToMs, probeText } from './lib.js'
import { serveHost, toParent, unknownCommand, usageNow, type ToHost } from './large-room-ipc.js'
import { Sightings } from './large-room-sightings.js'

const WRITABLE_TIMEOUT_MS = 120_000

const [root, bootstrapJson] = process.argv.slice(2)
const bootstrap = JSON.parse(bootstrapJson) as string[]

interface RawMember {
  store: Corestore
  base: Autobase<Hyperbee>
  swarm: Hyperswarm
}

const members = new Map<number, RawMember>()
const sightings = new Sightings()

async function openOne(index: number, key: Buffer, encryptionKey: Buffer): Promise<void> {
  const start = nowNs()
  const store = new Corestore(path.join(root, `raw${index}`))
  const base = openBase(store, key, encryptionKey)
  const swarm = new Hyperswarm({
    dht: new HyperDHT({ bootstrap, host: '127.0.0.1', firewalled: false })
  })
  members.set(index, { store, base, swarm })
  await base.ready()
  swarm.on('connection', (conn: SwarmConnection) => {
    conn.on('error', () => {})
    store.replicate(conn)
  })
  await swarm.join(base.discoveryKey).flushed()
  toParent({ t: 'writer', member: index, key: b4a.toString(base.local.key, 'hex') })
  await waitWritable(base, WRITABLE_TIMEOUT_MS)
  sightings.watchView(index, base)
  toParent({ t: 'joined', member: index, ms: nsToMs(nowNs() - start) })
}

async function handle(msg: ToHost): Promise<void> {
  switch (msg.t) {
    case 'open': {
      const key = b4a.from(msg.key, 'hex')
      const encryptionKey = b4a.from(msg.encryptionKey, 'hex')
      let next = msg.from
      const worker = async (): Promise<void> => {
        while (next < msg.from + msg.count) await openOne(next++, key, encryptionKey)
      }
      await Promise.all(Array.from({ length: Math.min(msg.parallel, msg.count) }, worker))
      toParent({ t: 'join-done' })
      return
    }
    case 'send': {
      const member = members.get(msg.member)
      if (member === undefined) throw new Error(`member ${msg.member} is not hosted here`)
      await member.base.append(messageOp(probeText('lat', msg.seq)))
      toParent({ t: 'sent', member: msg.member, seq: msg.seq })
      return
    }
    case 'seen':
      await sightings.untilAll(msg.count, msg.idleMs)
      toParent({ t: 'seen', latencies: sightings.latencies(msg.senders) })
      return
    case 'usage':
      toParent({ t: 'usage', usage: usageNow() })
      return
    case 'close': {
      const all = [...members.values()]
      members.clear()
      for (let i = 0; i < all.length; i += 8) {
        await Promise.all(
          all.slice(i, i + 8).map(async (m) => {
            await m.swarm.destroy()
            await m.base.close()
            await m.store.close()
          })
        )
      }
      toParent({ t: 'closed' })
      process.disconnect()
      return
    }
    case 'join':
      throw new Error(`unexpected command ${msg.t}`)
    default:
      return unknownCommand(msg)
  }
}

serveHost(handle)
