import test from 'brittle'
import {
  createLoopbackTestnet,
  roomWithMembers,
  texts,
  until,
  allMessages
} from '../helpers/index.js'

test(
  'two members: messages both ways converge in the same order',
  { timeout: 60_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
    const [alice, bob] = peers

    await alice.send(room, { text: 'hello bob' })
    await bob.send(room, { text: 'hi alice' })
    await alice.send(room, { text: 'how are you?' })
    await bob.send(room, { text: 'fine' })

    await until(
      [alice, bob],
      async () => (await texts(alice, room)).length === 4 && (await texts(bob, room)).length === 4
    )
    await until(
      [alice, bob],
      async () => (await texts(alice, room)).join('|') === (await texts(bob, room)).join('|')
    )
    const a = await allMessages(alice, room)
    const b = await allMessages(bob, room)
    t.alike(
      a.map((m) => m.id),
      b.map((m) => m.id),
      'same ids in the same order'
    )
    t.alike(
      new Set(a.map((m) => m.text)),
      new Set(['hello bob', 'hi alice', 'how are you?', 'fine'])
    )
    const fromBob = a.find((m) => m.text === 'hi alice')
    t.is(fromBob?.authorName, 'bob', 'author name resolved')
    const [peer] = (await alice.status()).rooms[0].peers
    t.is(peer.relayed, false, 'status: bob is connected directly')
    t.ok(
      typeof peer.rttMs === 'number' && peer.rttMs > 0,
      `status: round-trip time measured (${peer.rttMs} ms)`
    )
    const members = await alice.members(room)
    t.alike(members.map((m) => [m.name, m.role]).sort(), [
      ['alice', 'admin'],
      ['bob', 'member']
    ])
  }
)
