import test from 'brittle'
import { createRoost } from '../../src/core/roost.js'
import {
  allMessages,
  createLoopbackTestnet,
  createPeer,
  tempDir,
  texts,
  until
} from '../helpers/index.js'

test(
  'offline: B misses 50 messages and catches up once each; B’s offline writes reach A',
  { timeout: 90_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const alice = await createPeer(t, testnet, { name: 'alice' })
    const bobDir = await tempDir(t)
    let bob = await createPeer(t, testnet, { name: 'bob', dataDir: bobDir })
    const room = (await alice.createRoom({ name: 'general' })).id
    await alice.flush()
    await bob.join((await alice.createInvite(room)).code as string)
    await until([bob], async () => (await bob.room(room)).writable)
    await bob.send(room, { text: 'before' })
    await until([alice], async () => (await texts(alice, room)).includes('before'))

    await bob.close()
    for (let i = 0; i < 50; i++) await alice.send(room, { text: `while away ${i}` })

    // B writes while offline: appended locally, pending until a peer has it
    const offline = await createPeer(t, null, { dataDir: bobDir })
    const queued = await offline.send(room, { text: 'written offline' })
    t.is(queued.state, 'pending', 'a message written offline is pending')
    await offline.close()

    bob = await createPeer(t, testnet, { dataDir: bobDir })
    const announced: string[] = []
    bob.onDidReceiveMessage(({ message }) => announced.push(message.id))
    const presentAtSubscribe = new Set((await allMessages(bob, room)).map((m) => m.id))
    await until(
      [bob],
      async () => (await texts(bob, room)).filter((x) => x.startsWith('while away')).length === 50
    )
    t.is(new Set(announced).size, announced.length, 'no message announced twice')
    const caughtUp = (await allMessages(bob, room)).filter((m) => m.text.startsWith('while away'))
    t.ok(
      caughtUp.every((m) => presentAtSubscribe.has(m.id) || announced.includes(m.id)),
      'every caught-up message was announced'
    )
    const bobTexts = await texts(bob, room)
    for (let i = 0; i < 50; i++)
      t.is(bobTexts.filter((x) => x === `while away ${i}`).length, 1, `message ${i} once`)
    await until([alice], async () => (await texts(alice, room)).includes('written offline'))
    await until(
      [bob],
      async () => (await allMessages(bob, room)).find((m) => m.id === queued.id)?.state === 'sent'
    )
    t.pass('the offline message turned sent once a peer had it')
    await until(
      [alice, bob],
      async () => (await texts(alice, room)).join('|') === (await texts(bob, room)).join('|')
    )
    t.is((await texts(alice, room)).length, 52, 'both have all 52 messages, in the same order')
  }
)

test('restart keeps profile, rooms, history and read state', { timeout: 60_000 }, async (t) => {
  const dataDir = await tempDir(t)
  const first = await createRoost({ dataDir, offline: true })
  const profile = await first.init({ name: 'carol' })
  const room = await first.createRoom({ name: 'notes', topic: 'mine' })
  const sent = await first.send(room.id, { text: 'remember me' })
  await first.close()

  const second = await createRoost({ dataDir, offline: true })
  t.teardown(() => second.close())
  t.alike(await second.profile(), profile, 'same profile')
  const rooms = await second.rooms()
  t.is(rooms.length, 1)
  t.is(rooms[0].name, 'notes')
  t.is(rooms[0].topic, 'mine')
  t.is(rooms[0].unread, 0, 'own message counts as read')
  const [message] = (await second.messages(room.id)).messages
  t.is(message.id, sent.id)
  t.is(message.text, 'remember me')
  t.is(message.state, 'pending', 'still pending: no peer ever had it')
})

test(
  'a second core on the same data dir fails with DATA_DIR_IN_USE and leaves the first intact',
  { timeout: 30_000 },
  async (t) => {
    const dataDir = await tempDir(t)
    const first = await createPeer(t, null, { dataDir, name: 'dave' })
    const room = await first.createRoom({ name: 'r' })
    try {
      const second = await createRoost({ dataDir, offline: true })
      await second.close()
      t.fail('the second core opened')
    } catch (err) {
      t.is((err as { code?: string }).code, 'DATA_DIR_IN_USE')
      t.ok(/Another Roost/.test((err as Error).message), (err as Error).message)
    }
    const sent = await first.send(room.id, { text: 'still fine' })
    t.is(
      (await first.messages(room.id)).messages.at(-1)?.id,
      sent.id,
      'the first core keeps working'
    )
  }
)

test('init, names and message size limits', { timeout: 30_000 }, async (t) => {
  const peer = await createPeer(t, null)
  t.is(await peer.profile(), null, 'no profile before init')
  await t.exception(peer.createRoom({ name: 'x' }), /init/)
  await peer.init({ name: 'erin' })
  await t.exception(peer.init({ name: 'again' }), /already/)
  await t.exception(peer.setName('x'.repeat(65)), /longer than 64/)
  const room = await peer.createRoom({ name: 'limits' })

  const multiByte = 'é漢😀'
  let text = multiByte.repeat(1000)
  text += 'a'.repeat(65536 - Buffer.byteLength(text))
  t.is(Buffer.byteLength(text), 65536)
  const sent = await peer.send(room.id, { text })
  t.is((await peer.messages(room.id)).messages[0].text, text, '64 KiB stored whole')
  try {
    await peer.send(room.id, { text: text + 'a' })
    t.fail('64 KiB + 1 must be refused')
  } catch (err) {
    t.is((err as { code?: string }).code, 'MESSAGE_TOO_LARGE')
  }
  const page = await peer.messages(room.id)
  t.is(page.messages.length, 1, 'nothing written for the refused message')
  t.is(page.messages[0].id, sent.id)
})
