import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import { bindWriter } from '../../src/core/identity/identity-key.js'
import { encodeOp } from '../../src/core/rooms/ops.js'
import {
  allMessages,
  appendRaw,
  createLoopbackTestnet,
  createPeer,
  deviceOf,
  profileStoreOf,
  rejectsWithCode,
  roomWithMembers,
  skippedLengthsOf,
  tempDir,
  texts,
  until,
  untilRoom
} from '../helpers/index.js'

const OPTS = { timeout: 180_000 }

test(
  'a linked device is the same member: history, its messages authored by the person, one member',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
    const [laptop, bob] = peers
    await laptop.send(room, { text: 'from the laptop' })
    await bob.send(room, { text: 'hi alice' })

    const link = await laptop.linkDevice()
    t.ok(link.code.startsWith('roost://link/'), 'a link code, never taken for a room invite')
    await rejectsWithCode(t, bob.join(link.code), 'INVITE_INVALID', 'a link code is no room invite')

    const phone = await createPeer(t, testnet)
    const profile = await phone.init({ link: link.code })
    const alice = await laptop.profile()
    t.is(profile.id, alice?.id, 'the same profile id')
    t.is(profile.name, 'alice', 'and name')
    await rejectsWithCode(
      t,
      phone.phrase(),
      'NO_IDENTITY_SECRET',
      'a linked device never holds the words'
    )

    t.alike(
      (await phone.rooms()).map((r) => r.id),
      [room],
      'the rooms'
    )
    await until([phone], async () => (await phone.room(room)).writable)
    await until([phone], async () => (await texts(phone, room)).includes('hi alice'))
    t.ok((await texts(phone, room)).includes('from the laptop'), 'with their history')

    const sent = await phone.send(room, { text: 'from the phone' })
    await until([bob], async () => (await texts(bob, room)).includes('from the phone'))
    const atBob = (await allMessages(bob, room)).find((m) => m.id === sent.id)
    t.is(atBob?.author, alice?.id, 'its messages are authored by the person')
    const members = await bob.members(room)
    t.is(members.length, 2, 'the member list shows one member per person')

    const devices = await laptop.devices()
    t.is(devices.length, 2, 'the laptop lists both devices')
    t.ok(devices[0].current, 'itself first')
    const phoneDevice = devices.find((d) => !d.current)
    t.ok(phoneDevice !== undefined && phoneDevice.rooms === 1, 'the phone, a writer in the room')

    await rejectsWithCode(
      t,
      (await createPeer(t, testnet)).init({ link: link.code }),
      'LINK_USED',
      'the code is single use'
    )
    await rejectsWithCode(t, phone.init({ link: 'garbage' }), 'ALREADY_INITIALIZED', 'once only')
    const empty = await createPeer(t, testnet)
    await rejectsWithCode(
      t,
      empty.init({ link: 'not a code' }),
      'LINK_INVALID',
      'garbage is LINK_INVALID'
    )
    t.is(await empty.profile(), null, 'and writes nothing')
  }
)

test(
  'unlinking a device: its writer is removed everywhere and the room re-keys without it',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
    const [laptop, bob] = peers
    const phone = await createPeer(t, testnet)
    await phone.init({ link: (await laptop.linkDevice()).code })
    await until([phone], async () => (await phone.room(room)).writable)
    const phoneId = (await laptop.devices()).find((d) => !d.current)?.id as string

    await rejectsWithCode(
      t,
      laptop.unlinkDevice(z32.encode(crypto.randomBytes(32))),
      'DEVICE_NOT_FOUND',
      'a stranger'
    )
    await laptop.unlinkDevice(phoneId)
    const phoneWriter = phone.roomEngine(room).writerKey
    await until(
      [bob],
      async () => (await bob.roomEngine(room).writer(phoneWriter))?.revoked === true
    )
    t.pass('every peer marks the phone’s writer unlinked')
    await until([phone], async () => !(await phone.room(room)).writable)
    t.pass('the phone can no longer write')
    t.ok((await phone.room(room)).unlinked, 'and knows it was unlinked')
    t.absent((await laptop.room(room)).unlinked, 'the laptop was not')
    t.ok((await laptop.devices()).find((d) => d.id === phoneId)?.revoked, 'listed as unlinked')

    // the next epoch is not sealed to it: it reads nothing new
    await until([bob], async () => {
      const current = await bob.roomEngine(room).currentEpoch()
      if (current === null) return false
      const sealed = await bob.roomEngine(room).epochBoxWriters(current.id)
      return !sealed.some((k) => b4a.equals(k, phoneWriter))
    })
    t.pass('the room re-keyed without it')
    const after = await bob.send(room, { text: 'after the unlink' })
    await until([laptop], async () => (await texts(laptop, room)).includes('after the unlink'))
    const phoneEngine = phone.roomEngine(room)
    await untilRoom([phone], room, async () => (await phoneEngine.messageById(after.id)) !== null)
    t.absent(
      (await allMessages(phone, room)).some((m) => m.id === after.id),
      'the unlinked phone cannot read it'
    )
  }
)

test('forged, replayed and other-room device bindings are skipped', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'mallory'])
  const [alice, mallory] = peers
  const other = await mallory.createRoom({ name: 'elsewhere' })
  const engine = mallory.roomEngine(room)
  const own = deviceOf(mallory)
  const aliceDevice = deviceOf(alice)
  const fresh = crypto.randomBytes(32)
  const ops = [
    // a binding for another room
    bindWriter(mallory.roomEngine(other.id).discoveryKey, fresh, own.device, own.proof),
    // replayed: the binding of mallory's own writer, for another writer
    bindWriter(engine.discoveryKey, engine.writerKey, own.device, own.proof),
    // alice's device, to pass a writer off as alice's device under mallory's name
    bindWriter(engine.discoveryKey, fresh, aliceDevice.device, aliceDevice.proof),
    // forged: bytes of the right length
    crypto.randomBytes(203)
  ].map((binding) =>
    encodeOp('@roost/device-add', { writer: fresh, boxKey: crypto.randomBytes(32), binding })
  )
  const seqs = await appendRaw(mallory, room, ops)
  // mallory's next message comes after them in its core: once alice sees it, she applied them
  const marker = await mallory.send(room, { text: 'after the forgeries' })
  await until([alice], async () => (await allMessages(alice, room)).some((m) => m.id === marker.id))
  const writer = z32.encode(engine.writerKey)
  const skipped = skippedLengthsOf(alice, room, writer)
  t.ok(
    seqs.every((s) => skipped.has(s + 1)),
    'alice skipped every one'
  )
  t.is(await alice.roomEngine(room).writer(fresh), null, 'and added no writer')
  const reasons = alice.roomEngine(room).applier.skipped.filter((s) => s.writer === writer)
  t.ok(
    reasons.every((s) => s.reason.includes('device')),
    'as bad device bindings'
  )
  const both = await alice.send(room, { text: 'still fine' })
  await until([mallory], async () =>
    (await allMessages(mallory, room)).some((m) => m.id === both.id)
  )
})

test(
  'a profile made before devices keeps its rooms, is one device, and links a second one',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    // a version 1 profile (a random key, no words) whose room writer was bound the old way
    const dataDir = await tempDir(t)
    const keyPair = crypto.keyPair()
    await fs.writeFile(
      path.join(dataDir, 'profile.json'),
      JSON.stringify({
        version: 1,
        name: 'old timer',
        publicKey: keyPair.publicKey.toString('hex'),
        secretKey: keyPair.secretKey.toString('hex')
      }),
      { mode: 0o600 }
    )
    const laptop = await createPeer(t, testnet, { dataDir })
    const store = profileStoreOf(laptop)
    const claim = store.claimWriter.bind(store)
    store.claimWriter = (dk, writer, signed) => ({
      ...claim(dk, writer, signed),
      binding: undefined as unknown as Buffer
    })
    const room = (await laptop.createRoom({ name: 'from before devices' })).id
    store.claimWriter = claim
    const writer = await laptop.roomEngine(room).writer(laptop.roomEngine(room).writerKey)
    t.is(writer?.device ?? null, null, 'its writer has no device: the old signature bound it')
    await laptop.send(room, { text: 'written before devices' })
    const before = await laptop.devices()
    t.is(before.length, 1, 'one device, not the profile and the device key apart')
    t.ok(before[0].current && before[0].rooms === 1, 'this one, writer in the room')

    const phone = await createPeer(t, testnet)
    await phone.init({ link: (await laptop.linkDevice()).code })
    t.is((await phone.profile())?.id, z32.encode(keyPair.publicKey), 'the phone is the old id')
    const sent = await phone.send(room, { text: 'from the phone' })
    await until([laptop], async () => (await texts(laptop, room)).includes('from the phone'))
    const seen = (await allMessages(laptop, room)).find((m) => m.id === sent.id)
    t.is(seen?.author, z32.encode(keyPair.publicKey), 'authored by the old profile')
    t.ok((await texts(phone, room)).includes('written before devices'), 'with the history')
    t.is((await laptop.members(room)).length, 1, 'one member')
    t.is((await laptop.devices()).length, 2, 'two devices')
    t.ok((await laptop.room(room)).writable, 'and the laptop still writes')
  }
)

test('optimistic blocks: only an active member device adding itself is taken', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers
  const bobId = (await bob.profile())?.id as string
  await alice.removeMember(room, bobId)
  await until([bob], async () => !(await bob.room(room)).writable)
  const engine = bob.roomEngine(room)
  const own = deviceOf(bob)
  const boxKey = crypto.randomBytes(32)
  const selfAdd = (binding: Buffer) => ({
    name: '@roost/device-add' as const,
    value: { writer: engine.writerKey, boxKey, binding, timestamp: Date.now() }
  })
  // a removed member's own device, with a binding that verifies
  await engine.appendOptimistic(
    selfAdd(bindWriter(engine.discoveryKey, engine.writerKey, own.device, own.proof))
  )
  t.absent(engine.writable, 'a removed member cannot add itself back')
  // an active member's device named for a core that is not the one appending
  const aliceDevice = deviceOf(alice)
  const fresh = crypto.randomBytes(32)
  await engine.appendOptimistic({
    name: '@roost/device-add',
    value: {
      writer: fresh,
      boxKey,
      binding: bindWriter(engine.discoveryKey, fresh, aliceDevice.device, aliceDevice.proof)
    }
  })
  // and not a device-add at all
  await engine.appendOptimistic({
    name: '@roost/message',
    value: { id: 'x', text: 'let me in', timestamp: Date.now() } as never
  })
  t.absent(engine.writable, 'nor a core adding another, nor any other op')
  const reasons = engine.applier.skipped
    .filter((s) => s.writer === z32.encode(engine.writerKey))
    .map((s) => s.reason)
  t.ok(
    reasons.some((r) => r.includes('not an active member')),
    'skipped: ' + reasons.join('; ')
  )
  t.ok(
    reasons.some((r) => r.includes('other than its own')),
    'skipped: another core'
  )
  t.ok(
    reasons.some((r) => r.includes('optimistic')),
    'skipped: no device-add'
  )
  t.is(await engine.writer(fresh), null, 'no writer added')
})
