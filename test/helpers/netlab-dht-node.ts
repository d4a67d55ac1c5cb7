// One DHT node of the NAT lab (test/helpers/netlab.ts), run inside its own network namespace.
// Usage: node netlab-dht-node.js <host> <port> [bootstrap host:port,...]
// Without a bootstrap list it is the lab's bootstrapper. Prints one JSON line once ready.
import HyperDHT from 'hyperdht'

interface DhtNode {
  host: string | null
  port: number
  ephemeral: boolean
  firewalled: boolean
  ready(): Promise<void>
  destroy(): Promise<void>
  address(): { host: string; port: number }
}
const DHT = HyperDHT as unknown as {
  new (opts: Record<string, unknown>): DhtNode
  bootstrapper(port: number, host: string, opts: Record<string, unknown>): DhtNode
}

const [host, portArg, bootstrapArg] = process.argv.slice(2)
const port = Number(portArg)
if (!host || !Number.isInteger(port) || port <= 0) {
  console.error('usage: netlab-dht-node.js <host> <port> [bootstrap host:port,...]')
  process.exit(2)
}
const role = bootstrapArg ? 'dht-node' : 'bootstrap'

// Bind explicitly to `host`: the bootstrapper otherwise binds 0.0.0.0 and only uses host for its id.
const node = bootstrapArg
  ? new DHT({
      host,
      port,
      anyPort: false,
      ephemeral: false,
      firewalled: false,
      bootstrap: bootstrapArg.split(',')
    })
  : DHT.bootstrapper(port, host, { host })

node.ready().then(
  () => {
    console.log(
      JSON.stringify({
        event: 'ready',
        role,
        bound: node.address(),
        host: node.host,
        port: node.port,
        ephemeral: node.ephemeral,
        firewalled: node.firewalled
      })
    )
  },
  (err: Error) => {
    console.error(`${role} failed to start: ${err.stack ?? err.message}`)
    process.exit(1)
  }
)

let stopping = false
function stop(): void {
  if (stopping) return
  stopping = true
  // destroy() can hang when the network went away under it; never wait more than a second
  setTimeout(() => process.exit(0), 1000).unref()
  node.destroy().then(
    () => process.exit(0),
    () => process.exit(0)
  )
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
// started by the lab with a stdin pipe it never writes to: EOF means the lab's process died
if (process.env.NETLAB_STDIN_LIFELINE === '1') {
  process.stdin.on('end', stop).on('close', stop).resume()
}
