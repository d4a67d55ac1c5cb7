import test from 'brittle'
import type { Roost } from '../../src/core/roost.js'
import { createLoopbackTestnet, roomWithMembers } from '../helpers/index.js'

/** The parts of autobase 7.28.1's wakeup session this test reads. */
interface WakeupSession {
  peers: Iterable<{ active: boolean }>
  handlers: { onpeeractive?: (...args: unknown[]) => void }
}

/** Resolves once the room's wakeup protocol has an active peer on some connection. */
function wakeupPeer(peer: Roost, room: string): Promise<void> {
  const base = peer.roomEngine(room).base as unknown as { wakeupSession: WakeupSession | null }
  const session = base.wakeupSession
  if (session === null) return Promise.reject(new Error('the room has no wakeup session'))
  if ([...session.peers].some((p) => p.active)) return Promise.resolve()
  return new Promise((resolve) => {
    const handlers = session.handlers
    const onpeeractive = handlers.onpeeractive?.bind(handlers)
    handlers.onpeeractive = (...args) => {
      onpeeractive?.(...args)
      resolve()
    }
  })
}

// Autobase.replicate() adds each stream to the base's wakeup protocol; the core replicates its
// one store over each connection instead, for every room, so it must add the streams itself.
// Without it no member hears another's "these writers have nodes to order", and WakeupNudge has
// nobody to tell: an indexer back from a restart never looked at a member's new messages.
test("every connection carries the rooms' wakeup protocol", { timeout: 60_000 }, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  await Promise.all(peers.map((peer) => wakeupPeer(peer, room)))
  t.pass('alice and bob each have the other as a wakeup peer')
})
