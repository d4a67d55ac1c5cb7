import test from 'brittle'
import crypto from 'hypercore-crypto'
import Corestore from 'corestore'
import type { SwarmConnection } from 'hyperswarm'
import { createRequire } from 'module'
import { Network } from '../../src/core/network/network.js'
import { guardReplicatorClose } from '../../src/core/storage/replicator-close-guard.js'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'

/** Resolves with the network's next connection. */
function nextConnection(network: Network): Promise<SwarmConnection> {
  return new Promise((resolve) => network.swarm.once('connection', resolve))
}

test('a peer whose connection dropped again and again is found and dialled again (Hyperswarm alone gives up after four short-lived connections)', async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const topic = crypto.randomBytes(32)
  const networks: Network[] = []
  for (let i = 0; i < 2; i++) {
    const store = new Corestore(await tempDir(t))
    const network = new Network(store, { bootstrap: bootstrapOf(testnet), host: '127.0.0.1' })
    t.teardown(async () => {
      await network.destroy()
      await store.close()
    })
    networks.push(network)
  }
  const [a, b] = networks
  const first = nextConnection(a)
  await a.join(topic)
  await b.join(topic)
  let conn = await first

  const DROPS = 8
  for (let i = 0; i < DROPS; i++) {
    const again = nextConnection(a)
    conn.destroy()
    conn = await again
  }
  t.pass(`connected again after each of ${DROPS} drops`)
  t.ok(
    a.rediscovery.lookups + b.rediscovery.lookups > 0,
    'some of them through a fresh look-up of the topic'
  )
})

test('a verified block landing while the store closes does not end the process (hypercore reads storage in an unawaited call)', async (t) => {
  guardReplicatorClose()
  const require = createRequire(import.meta.url)
  const Replicator = require('hypercore/lib/replicator.js') as {
    prototype: { _resolveBlocksLocally(this: unknown): Promise<void> }
  }
  const closedStore = (message: string) => ({
    core: {
      storage: {
        read() {
          throw new Error(message)
        }
      }
    },
    _blocks: []
  })
  await Replicator.prototype._resolveBlocksLocally.call(closedStore('RocksDB session is closed'))
  t.pass('a closed store: nothing thrown, the blocks wait for the next open')
  await t.exception(
    Replicator.prototype._resolveBlocksLocally.call(closedStore('disk on fire')),
    /disk on fire/,
    'any other error still goes up'
  )
})
