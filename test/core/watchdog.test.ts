import { EventEmitter } from 'events'
import test from 'brittle'
import Corestore from 'corestore'
import crypto from 'hypercore-crypto'
import type { SwarmConnection } from 'hyperswarm'
import { watchHalfOpen } from '../../src/core/network/half-open-watchdog.js'
import { Network } from '../../src/core/network/network.js'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'

class FakeConnection extends EventEmitter {
  rawBytesRead: number
  rawBytesWritten: number
  destroyed = false
  constructor(rawBytesRead: number, rawBytesWritten: number) {
    super()
    this.rawBytesRead = rawBytesRead
    this.rawBytesWritten = rawBytesWritten
  }
  destroy(): void {
    this.destroyed = true
    this.emit('close')
  }
}

test('watchdog: a connection that sent but read nothing is destroyed; others are kept', async (t) => {
  const healthy = new FakeConnection(120, 80)
  const idle = new FakeConnection(0, 0)
  const silent = new FakeConnection(0, 80)
  watchHalfOpen(healthy, 50)
  watchHalfOpen(idle, 50)
  watchHalfOpen(silent, 50)
  // timers of equal length fire in the order they were set: once `silent` fired, so had the others
  await new Promise((resolve) => silent.once('half-open', resolve))
  t.ok(silent.destroyed, 'the connection whose peer never answered is destroyed')
  t.absent(healthy.destroyed, 'the connection that read bytes is kept')
  t.absent(idle.destroyed, 'an idle connection (nothing sent yet) is kept')
})

test(
  'watchdog: a dropped half-open connection is redialled by the swarm',
  { timeout: 60_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const bootstrap = bootstrapOf(testnet)
    const topic = crypto.randomBytes(32)
    const networks: Network[] = []
    for (let i = 0; i < 2; i++) {
      const store = new Corestore(await tempDir(t))
      // an open core makes replication speak first, as a room does
      const core = store.get({ name: 'room' })
      await core.ready()
      const network = new Network(store, { bootstrap, host: '127.0.0.1', halfOpenTimeoutMs: 300 })
      networks.push(network)
      t.teardown(async () => {
        await network.destroy()
        await core.close()
        await store.close()
      })
    }
    const [server, client] = networks
    // one side dials, the other answers: the dialer is the one that redials
    await server.swarm.join(topic, { server: true, client: false }).flushed()

    let connections = 0
    const redialled = new Promise<void>((resolve) => {
      client.swarm.on('connection', (conn: SwarmConnection) => {
        connections++
        // the first connection plays a lost hole-punch race: it never seems to read a byte
        if (connections === 1)
          Object.defineProperty(conn, 'rawBytesRead', { get: () => 0, set: () => {} })
        else resolve()
      })
    })
    let droppedHalfOpen = false
    client.swarm.once('connection', (conn: SwarmConnection) =>
      conn.once('half-open', () => (droppedHalfOpen = true))
    )
    client.swarm.join(topic, { server: false, client: true })
    await redialled
    t.ok(droppedHalfOpen, 'the silent first connection was dropped by the watchdog')
    t.is(connections, 2, 'and the swarm dialled again')
  }
)
