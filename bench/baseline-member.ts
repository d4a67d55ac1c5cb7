// Writer B of the baseline scenario (plain Autobase, no Roost code), in its own process.
// argv: <dataDir> <bootstrap JSON: [{host, port}, ...]>
import type Autobase from 'autobase'
import b4a from 'b4a'
import Corestore from 'corestore'
import type Hyperbee from 'hyperbee'
import HyperDHT from 'hyperdht'
import Hyperswarm, { type SwarmConnection } from 'hyperswarm'
import { messageOp, openBase, waitWritable } from './baseline.js'
import {
  nowNs,
  nsToMs,
  probeText,
  sendBurst,
  sendFlood,
  sendPaced,
  serveParent,
  toParent,
  type ToMember
} from './lib.js'

const WRITABLE_TIMEOUT_MS = 60_000

const [dataDir, bootstrapJson] = process.argv.slice(2)
const bootstrap = JSON.parse(bootstrapJson) as Array<{ host: string; port: number }>

let store: Corestore | null = null
let swarm: Hyperswarm | null = null
let base: Autobase<Hyperbee> | null = null

function opened(): Autobase<Hyperbee> {
  if (base === null) throw new Error('not opened yet')
  return base
}

serveParent(async (msg: ToMember) => {
  switch (msg.t) {
    case 'open': {
      const s = new Corestore(dataDir)
      store = s
      const b = openBase(s, b4a.from(msg.key, 'hex'), b4a.from(msg.encryptionKey, 'hex'))
      base = b
      await b.ready()
      const sw = new Hyperswarm({
        dht: new HyperDHT({ bootstrap, host: '127.0.0.1', firewalled: false })
      })
      swarm = sw
      sw.on('connection', (conn: SwarmConnection) => {
        conn.on('error', () => {})
        s.replicate(conn)
      })
      await sw.join(b.discoveryKey).flushed()
      // the parent starts its clock when it has our key and appends the add-writer op
      toParent({ t: 'writer', key: b4a.toString(b.local.key, 'hex') })
      const start = nowNs()
      await waitWritable(b, WRITABLE_TIMEOUT_MS)
      toParent({ t: 'ready', ms: nsToMs(nowNs() - start) })
      return
    }
    case 'latency': {
      const b = opened()
      const writerMs = await sendPaced(msg.count, msg.rate, (seq) =>
        b.append(messageOp(probeText('lat', seq)))
      )
      toParent({ t: 'latency-done', writerMs })
      return
    }
    case 'burst': {
      const b = opened()
      const writerMs = await sendBurst('baseline', msg.count, (seq) =>
        b.append(messageOp(probeText('burst', seq)))
      )
      toParent({ t: 'burst-done', writerMs })
      return
    }
    case 'flood': {
      const b = opened()
      const writerMs = await sendFlood(msg.count, (seq) =>
        b.append(messageOp(probeText('flood', seq)))
      )
      toParent({ t: 'flood-done', writerMs })
      return
    }
    case 'close': {
      if (swarm !== null) await swarm.destroy()
      if (base !== null) await base.close()
      if (store !== null) await store.close()
      toParent({ t: 'closed' })
      process.disconnect()
      return
    }
    case 'join':
      throw new Error(`unexpected command ${msg.t}`)
    default:
      return missing(msg)
  }
})

function missing(msg: never): never {
  throw new Error(`unknown command ${JSON.stringify(msg)}`)
}
