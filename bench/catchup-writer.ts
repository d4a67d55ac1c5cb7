// The online writer of the catch-up baseline (plain Autobase, no Roost code), in its own process:
// creates a base, appends `count` messages with nobody else around, then joins the swarm and
// serves its cores until the parent says 'close'.
// argv: <dataDir> <bootstrap JSON: [{host, port}, ...]> <count>
import type Autobase from 'autobase'
import b4a from 'b4a'
import Corestore from 'corestore'
import type Hyperbee from 'hyperbee'
import HyperDHT from 'hyperdht'
import Hyperswarm, { type SwarmConnection } from 'hyperswarm'
import { messageOp, openBase } from './baseline.js'
import { probeText, sendBurst, serveParent, toParent, type ToMember } from './lib.js'

const [dataDir, bootstrapJson, countText] = process.argv.slice(2)
const bootstrap = JSON.parse(bootstrapJson) as Array<{ host: string; port: number }>
const count = Number(countText)

let store: Corestore | null = null
let swarm: Hyperswarm | null = null
let base: Autobase<Hyperbee> | null = null

async function serve(): Promise<void> {
  const s = new Corestore(dataDir)
  store = s
  const b = openBase(s, null, null)
  base = b
  await b.ready()
  const writerMs = await sendBurst('baseline catch-up writer', count, (seq) =>
    b.append(messageOp(probeText('burst', seq)))
  )
  await b.update()
  const sw = new Hyperswarm({
    dht: new HyperDHT({ bootstrap, host: '127.0.0.1', firewalled: false })
  })
  swarm = sw
  sw.on('connection', (conn: SwarmConnection) => {
    conn.on('error', () => {})
    s.replicate(conn)
  })
  await sw.join(b.discoveryKey).flushed()
  toParent({
    t: 'served',
    key: b4a.toString(b.key, 'hex'),
    encryptionKey: b4a.toString(b.encryptionKey, 'hex'),
    writerMs
  })
}

serveParent(async (msg: ToMember) => {
  switch (msg.t) {
    case 'close': {
      if (swarm !== null) await swarm.destroy()
      if (base !== null) await base.close()
      if (store !== null) await store.close()
      toParent({ t: 'closed' })
      process.disconnect()
      return
    }
    case 'join':
    case 'open':
    case 'latency':
    case 'burst':
    case 'flood':
      throw new Error(`unexpected command ${msg.t}`)
    default:
      return missing(msg)
  }
})

serve().catch((err: unknown) => {
  toParent({ t: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) })
})

function missing(msg: never): never {
  throw new Error(`unknown command ${JSON.stringify(msg)}`)
}
