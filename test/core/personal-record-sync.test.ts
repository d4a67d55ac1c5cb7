import test from 'brittle'
import {
  bootstrapOf,
  createLoopbackTestnet,
  createPeer,
  roomWithMembers,
  tempDir,
  texts,
  until
} from '../helpers/index.js'
import { startBlindPeer } from '../helpers/processes.js'

const OPTS = { timeout: 180_000 }

test(
  'two devices of one person: read positions, settings, rooms joined and left, all in step',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
    const [laptop, bob] = peers
    const phone = await createPeer(t, testnet)
    await phone.init({ link: (await laptop.linkDevice()).code })
    await until([phone], async () => (await phone.room(room)).writable)

    let last = ''
    for (let i = 0; i < 3; i++) last = (await bob.send(room, { text: `news ${i}` })).id
    await until([laptop, phone], async () => {
      const [a, b] = await Promise.all([laptop.room(room), phone.room(room)])
      return a.lastMessage?.id === last && b.lastMessage?.id === last
    })
    t.is((await laptop.room(room)).unread, 3, 'unread on the laptop')
    await phone.markRead(room, last)
    await until([laptop], async () => (await laptop.room(room)).unread === 0)
    t.pass('read on the phone, read on the laptop')

    await laptop.setRoomNotify(room, 'mentions')
    await until([phone], async () => (await phone.room(room)).notify === 'mentions')
    t.pass('a notify level set on the laptop holds on the phone')

    const second = await bob.createRoom({ name: 'second' })
    await bob.flush()
    const joined = await laptop.join((await bob.createInvite(second.id)).code as string)
    await until([phone], async () => (await phone.rooms()).some((r) => r.id === joined.id))
    t.pass('a room joined on the laptop comes to the phone, with no link and no invite')

    await phone.leaveRoom(joined.id)
    await until([laptop], async () => !(await laptop.rooms()).some((r) => r.id === joined.id))
    t.pass('left on the phone, left on the laptop')
  }
)

test(
  'restore from the phrase with only the blind peer online: the id, rooms, history, settings',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const daemon = await startBlindPeer(t, await tempDir(t), bootstrapOf(testnet))
    const alice = await createPeer(t, testnet, { name: 'alice' })
    await alice.setConfig({ blindPeer: daemon.key })
    const room = (await alice.createRoom({ name: 'family' })).id
    await alice.flush()
    const bobDir = await tempDir(t)
    const bob = await createPeer(t, testnet, { name: 'bob', dataDir: bobDir })
    await bob.join((await alice.createInvite(room)).code as string)
    await until([bob], async () => (await bob.room(room)).writable)
    await alice.send(room, { text: 'from the old laptop' })
    const last = await bob.send(room, { text: 'from bob' })
    await until([alice], async () => (await alice.room(room)).lastMessage?.id === last.id)
    await alice.markRead(room, last.id)
    await alice.setRoomNotify(room, 'none')
    const phrase = await alice.phrase()
    const id = (await alice.profile())?.id
    const lost = (await alice.devices()).find((d) => d.current)?.id as string
    await until([alice], async () => {
      const [mirror] = await alice.mirrors(room)
      return mirror !== undefined && mirror.syncedLength >= alice.roomEngine(room).base.local.length
    })
    await bob.close()
    await alice.close() // waits for the blind peer to hold the record too

    const restored = await createPeer(t, testnet)
    const profile = await restored.init({ phrase, blindPeer: daemon.key })
    t.is(profile.id, id, 'the same profile id')
    t.is(profile.name, 'alice', 'the name the record keeps')
    await until([restored], async () => (await restored.rooms()).some((r) => r.id === room))
    await until([restored], async () => (await texts(restored, room)).includes('from bob'))
    t.alike(
      await texts(restored, room),
      ['from the old laptop', 'from bob'],
      'the history, readable: the record kept the room keys'
    )
    // the record's last ops may come a moment after the room: the settings follow them
    await until([restored], async () => (await restored.room(room)).notify === 'none')
    t.pass('the room setting')
    await until([restored], async () => (await restored.room(room)).unread === 0)
    t.pass('and the read position')
    const peers = (await restored.status()).rooms.flatMap((r) => r.peers.map((p) => p.id))
    t.alike([...new Set(peers)], [daemon.key], 'the blind peer was its only peer')

    // nobody could add its writer: it added itself, and bob takes that when he is back
    await until([restored], async () => (await restored.room(room)).writable)
    t.pass('writable in the room with only the blind peer online')
    const sent = await restored.send(room, { text: 'from the restored phone' })
    const bobAgain = await createPeer(t, testnet, { dataDir: bobDir })
    await until([bobAgain], async () =>
      (await texts(bobAgain, room)).includes('from the restored phone')
    )
    const seen = (await bobAgain.messages(room)).messages.find((m) => m.id === sent.id)
    t.is(seen?.author, id, 'authored by the person, at bob too')
    t.is((await bobAgain.members(room)).length, 2, 'still two members')

    // the old laptop is lost: unlinked from the restored device, everywhere
    await restored.unlinkDevice(lost)
    await until([bobAgain], async () =>
      (await bobAgain.roomEngine(room).writers()).some((w) => w.revoked === true)
    )
    t.ok(
      (await restored.devices()).find((d) => d.id === lost)?.revoked,
      'the lost laptop is unlinked, from the device restored from the phrase'
    )
  }
)
