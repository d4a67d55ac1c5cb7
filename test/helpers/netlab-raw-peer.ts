// A bare Hyperswarm peer for the NAT lab (test/helpers/netlab.ts): joins a topic, says hello to the
// first peer it meets and prints one JSON result line ({ ok, tConnectMs, tFirstDataMs, remoteUdp, ... }).
// Usage: node netlab-raw-peer.js <name> <bind host> <bootstrap host:port,...> <topic word>
//          [relay public key hex | '-'] [timeout s]
// Progress lines: {"event":"dht-ready"}, {"event":"flushed"} (announced and first lookup done).
// Exit code 0 iff connected and got the remote's hello. RELAY_ONLY_ON_FAIL=1 = hyperswarm's own
// relay policy instead of always relaying through the given key.
import HyperDHT from 'hyperdht'
import Hyperswarm from 'hyperswarm'
import b4a from 'b4a'
import crypto from 'hypercore-crypto'

interface RawDht {
  host: string | null
  port: number
  firewalled: boolean
  randomized: boolean
  stats: { punches: unknown; relaying: unknown }
  ready(): Promise<void>
  connect(...args: unknown[]): NodeJS.EventEmitter
}
interface RawDiscovery {
  flushed(): Promise<void>
  refresh(opts: { client: boolean; server: boolean }): Promise<void>
}

const [name, host, bootstrapArg, topicWord, relayHex, timeoutArg] = process.argv.slice(2)
if (!name || !host || !bootstrapArg || !topicWord) {
  console.error(
    'usage: netlab-raw-peer.js <name> <bind host> <bootstrap,...> <topic word> [relay hex|-] [timeout s]'
  )
  process.exit(2)
}
const timeoutMs = Number(timeoutArg ?? 60) * 1000
const t0 = Date.now()
const elapsed = (): number => Date.now() - t0
const log = (o: Record<string, unknown>): void =>
  console.log(JSON.stringify({ peer: name, t: elapsed(), ...o }))

const relayKey = relayHex && relayHex !== '-' ? b4a.from(relayHex, 'hex') : null
// Behind NAT: let hyperdht find out whether it is firewalled (no firewalled:false here).
const dhtNode = new HyperDHT({ bootstrap: bootstrapArg.split(','), host })
const dht = dhtNode as unknown as RawDht
const relayOnlyOnFail = !!process.env.RELAY_ONLY_ON_FAIL
const swarm = new Hyperswarm({
  dht: dhtNode,
  // a function so that the relay is forced on every connect unless RELAY_ONLY_ON_FAIL is set
  relayThrough: relayKey
    ? (force: boolean) => (relayOnlyOnFail ? (force || dht.randomized ? relayKey : null) : relayKey)
    : null
})

// hyperswarm swallows failed connects; count their error codes
const connectErrors: Record<string, number> = {}
const connect = dht.connect.bind(dht)
dht.connect = (...args: unknown[]) => {
  const socket = connect(...args)
  socket.on('error', (err: Error & { code?: string }) => {
    const code = err.code ?? err.message
    connectErrors[code] = (connectErrors[code] ?? 0) + 1
  })
  return socket
}

const natState = () => ({
  host: dht.host,
  port: dht.port,
  firewalled: dht.firewalled,
  randomized: dht.randomized
})

let finished = false
function finish(
  result: Record<string, unknown>,
  closed: Promise<unknown> = Promise.resolve()
): void {
  if (finished) return
  finished = true
  log({
    ...result,
    nat: natState(),
    punches: dht.stats.punches,
    relaying: dht.stats.relaying,
    connectErrors
  })
  const code = result.ok === true ? 0 : 1
  setTimeout(() => process.exit(code), 3000).unref()
  closed
    .then(() => swarm.destroy())
    .then(
      () => process.exit(code),
      () => process.exit(code)
    )
}

swarm.on('connection', (conn) => {
  const tConnectMs = elapsed()
  const raw = conn.rawStream
  const remoteUdp = raw ? `${raw.remoteHost}:${raw.remotePort}` : null
  const closed = new Promise((resolve) => conn.once('close', resolve))
  conn.on('error', () => {})
  conn.write(`hello from ${name}\n`)
  conn.once('data', (data: Buffer) => {
    const relayHost = process.env.RELAY_HOST ?? '10.99.0.60'
    finish(
      {
        ok: true,
        tConnectMs,
        tFirstDataMs: elapsed(),
        initiator: (conn as unknown as { isInitiator: boolean }).isInitiator,
        remoteUdp,
        viaRelay: remoteUdp !== null && remoteUdp.startsWith(relayHost + ':'),
        got: b4a.toString(data).trim()
      },
      // both sides end after reading the other's hello, so 'close' means both hellos arrived
      closed
    )
    conn.end()
  })
})

dht.ready().then(
  () => log({ event: 'dht-ready', nat: natState() }),
  () => {}
)
const discovery = swarm.join(crypto.hash(b4a.from(topicWord)), {
  server: true,
  client: true
}) as unknown as RawDiscovery
// re-look-up every 5 s: a peer that announced after our first lookup is still found
setInterval(() => discovery.refresh({ client: true, server: true }).catch(() => {}), 5000).unref()
swarm.flush().then(
  () => log({ event: 'flushed', nat: natState() }),
  () => {}
)
const swarmState = swarm as unknown as { connecting: number; stats: unknown }
const failWith = (reason: string) => () =>
  finish({ ok: false, reason, connecting: swarmState.connecting, stats: swarmState.stats })
setTimeout(failWith('timeout'), timeoutMs)
process.on('SIGTERM', failWith('SIGTERM'))
