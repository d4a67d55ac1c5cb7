import test from 'brittle'
import type { Roost } from '../../src/core/roost.js'
import type { Network } from '../../src/core/network/network.js'
import { createLoopbackTestnet, roomWithMembers, until } from '../helpers/index.js'

function networkOf(roost: Roost): Network {
  return (roost as unknown as { _ctx: { network: Network } })._ctx.network
}

async function connectedPeers(roost: Roost, room: string): Promise<number> {
  return (await roost.room(room)).connection.peers
}

test('members Hyperswarm gave up on and forgot find each other again: a lonely room looks its topic up again', async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers
  await until(peers, async () => (await connectedPeers(alice, room)) > 0)

  for (const peer of peers) {
    const network = networkOf(peer)
    // only the lonely room's look-ups may bring them back, not the lost-peer ones
    network.rediscovery.close()
    // what four short-lived connections leave behind: no retry, and the record forgotten on close
    for (const info of network.swarm.peers.values())
      (info as unknown as { attempts: number }).attempts = 10
  }
  for (const conn of [...networkOf(alice).swarm.connections]) conn.destroy()
  await until(peers, async () => (await connectedPeers(alice, room)) === 0)
  t.is(networkOf(alice).swarm.peers.size, 0, 'alice’s swarm has forgotten bob')

  await until(
    peers,
    async () => (await connectedPeers(alice, room)) > 0 && (await connectedPeers(bob, room)) > 0
  )
  t.pass('connected again')
  const lookups = peers.map((p) => {
    const joined = (
      p as unknown as { _ctx: { rooms: Map<string, { lonelyLookups: { lookups: number } }> } }
    )._ctx.rooms
    return [...joined.values()][0].lonelyLookups.lookups
  })
  t.ok(lookups[0] + lookups[1] > 0, 'by a look-up of the room')
})
