import test from 'brittle'
import fs from 'fs/promises'
import z32 from 'z32'
import type { Roost } from '../../src/core/roost.js'
import {
  allMessages,
  createLoopbackTestnet,
  createPeer,
  tempDir,
  texts,
  until
} from '../helpers/index.js'

const OPTS = { timeout: 120_000 }

function indexers(peer: Roost, room: string): string[] {
  return peer
    .roomEngine(room)
    .base.system.indexers.map((i) => z32.encode(i.key))
    .sort()
}

/** Resolves once `check` holds, re-checked after every update of the peers' bases. */
function untilBases(peers: Roost[], room: string, check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const bases = peers.map((p) => p.roomEngine(room).base)
    const onUpdate = (): void => {
      if (!check()) return
      for (const base of bases) base.off('update', onUpdate)
      resolve()
    }
    for (const base of bases) base.on('update', onUpdate)
    onUpdate()
  })
}

function writer(peer: Roost, room: string): string {
  return z32.encode(peer.roomEngine(room).writerKey)
}

test(
  'the room outlives its creator: an admin removes the gone creator, indexing goes on',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const aliceDir = await tempDir(t)
    const alice = await createPeer(t, testnet, { name: 'alice', dataDir: aliceDir })
    const bob = await createPeer(t, testnet, { name: 'bob', forkAfterMs: 500 })
    const { id: room } = await alice.createRoom({ name: 'outlives' })
    await alice.flush()
    await bob.join((await alice.createInvite(room)).code as string)
    const bobId = (await bob.profile())?.id as string
    await alice.setRole(room, bobId, 'admin')
    const both = [writer(alice, room), writer(bob, room)].sort()
    await untilBases(
      [alice, bob],
      room,
      () =>
        indexers(alice, room).join() === both.join() && indexers(bob, room).join() === both.join()
    )
    t.alike(indexers(bob, room), both, 'the new admin indexes beside the creator')
    await alice.send(room, { text: 'from the creator' })
    await until([bob], async () => (await texts(bob, room)).includes('from the creator'))

    // the creator's device is gone for good
    const aliceId = (await alice.profile())?.id as string
    await alice.close()
    await fs.rm(aliceDir, { recursive: true, force: true })
    await fs.mkdir(aliceDir) // empty, for the temp dir's own teardown

    await bob.removeMember(room, aliceId)
    await until(
      [bob],
      async () => (await bob.members(room)).find((m) => m.id === aliceId)?.removed === true
    )
    const carol = await createPeer(t, testnet, { name: 'carol' })
    await bob.flush()
    await carol.join((await bob.createInvite(room, { uses: 1 })).code as string)
    await until([carol], async () => (await carol.room(room)).writable)
    t.alike(indexers(bob, room), [writer(bob, room)], 'bob indexes alone after the fork')

    for (let i = 0; i < 20; i++) {
      await bob.send(room, { text: 'bob ' + i })
      await carol.send(room, { text: 'carol ' + i })
    }
    const base = bob.roomEngine(room)
    await until([bob, carol], async () => {
      const [b, c] = await Promise.all([allMessages(bob, room), allMessages(carol, room)])
      return (
        b.length === 41 &&
        c.length === 41 &&
        b.map((m) => m.id).join() === c.map((m) => m.id).join()
      )
    })
    t.pass('bob and carol hold the same 41 messages in the same order')
    const lastLength = base.base.local.length
    await base.waitIndexed(lastLength, AbortSignal.timeout(60_000))
    t.pass("bob's latest writes are indexed without the creator")

    const dave = await createPeer(t, testnet, { name: 'dave' })
    await dave.join((await bob.createInvite(room)).code as string)
    await until([dave], async () => (await texts(dave, room)).includes('carol 19'))
    t.alike(
      (await allMessages(dave, room)).map((m) => m.id),
      (await allMessages(bob, room)).map((m) => m.id),
      'a newcomer sees the same history in the same order'
    )
    t.ok(dave.roomEngine(room).fastForwards > 0, 'the newcomer fast-forwarded')
  }
)
