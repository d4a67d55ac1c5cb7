import test from 'brittle'
import {
  allMessages,
  createLoopbackTestnet,
  createPeer,
  tempDir,
  texts,
  until
} from '../helpers/index.js'

test(
  'a reorder of messages already shown is announced: onDidReorderMessages, then a read gives the room’s one order',
  { timeout: 90_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const aliceDir = await tempDir(t)
    let alice = await createPeer(t, testnet, { name: 'alice', dataDir: aliceDir })
    const bob = await createPeer(t, testnet, { name: 'bob' })
    const room = (await alice.createRoom({ name: 'general' })).id
    await alice.flush()
    await bob.join((await alice.createInvite(room)).code as string)
    await until([bob], async () => (await bob.room(room)).writable)

    // the only indexer goes away; bob writes on, his messages ordered by no one yet
    await alice.close()
    const reorders: string[] = []
    bob.onDidReorderMessages((e) => reorders.push(e.room))
    for (const text of ['bob 1', 'bob 2', 'bob 3']) await bob.send(room, { text })
    const bobFirst = (await allMessages(bob, room)).filter((m) => m.text.startsWith('bob'))
    t.alike(
      bobFirst.map((m) => m.text),
      ['bob 1', 'bob 2', 'bob 3']
    )

    // meanwhile alice writes offline: her messages are indexed at once (she signs alone)
    const offline = await createPeer(t, null, { dataDir: aliceDir })
    for (const text of ['alice 1', 'alice 2', 'alice 3']) await offline.send(room, { text })
    await offline.close()
    alice = await createPeer(t, testnet, { dataDir: aliceDir })

    // bob's three were applied after the room's older messages; the indexer's order puts hers
    // first, so his view is rewritten below them: the count alone would not say they moved
    await until([alice, bob], async () => {
      const [a, b] = await Promise.all([allMessages(alice, room), allMessages(bob, room)])
      return (
        reorders.length > 0 &&
        b.length === a.length &&
        a.length >= 6 &&
        a.every((m, i) => m.id === b[i].id && m.seq === b[i].seq)
      )
    })
    t.ok(
      reorders.every((r) => r === room),
      'the event names the room'
    )
    const final = await allMessages(bob, room)
    const order = (await texts(bob, room)).filter(
      (x) => x.startsWith('bob') || x.startsWith('alice')
    )
    t.alike(
      order,
      ['alice 1', 'alice 2', 'alice 3', 'bob 1', 'bob 2', 'bob 3'],
      'the indexer’s order'
    )
    const moved = bobFirst.filter((m) => final.find((f) => f.id === m.id)?.seq !== m.seq)
    t.is(moved.length, 3, 'bob’s messages have other positions than when first read')
  }
)
