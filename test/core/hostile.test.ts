import test, { type Test } from 'brittle'
import b4a from 'b4a'
import BlindPairing from 'blind-pairing'
import Corestore from 'corestore'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import { Network } from '../../src/core/network/network.js'
import type { Roost } from '../../src/core/roost.js'
import { encodeOp, memberBinding, ROLE } from '../../src/core/rooms/ops.js'
import { Room } from '../../src/core/rooms/room.js'
import type { Member } from '../../src/shared/api/contract.js'
import { MAX_MESSAGE_BYTES } from '../../src/shared/api/errors.js'
import {
  allMessages,
  appendRaw,
  bootstrapOf,
  createPeer,
  createLoopbackTestnet,
  messageSealer,
  profileSigner,
  rejectsWithCode,
  roster,
  roomWithMembers,
  tempDir,
  until,
  type Testnet
} from '../helpers/index.js'

const OPTS = { timeout: 60_000 }

function writerId(peer: Roost, room: string): string {
  return z32.encode(peer.roomEngine(room).writerKey)
}

/** A message op with its text in the clear: apply refuses it, messages are sealed. */
function plainMessage(text: string): Buffer {
  return encodeOp('@roost/message', { text, timestamp: Date.now() })
}

/** The id lists of all peers once every one holds `id` and all lists are identical, else null. */
async function convergedOn(peers: Roost[], room: string, id: string): Promise<string[] | null> {
  const lists = await Promise.all(
    peers.map(async (p) => (await allMessages(p, room)).map((m) => m.id))
  )
  if (!lists.every((ids) => ids.includes(id))) return null
  const first = lists[0].join(',')
  return lists.every((ids) => ids.join(',') === first) ? lists[0] : null
}

/**
 * Ends a hostile phase: `last` sends a normal message (the room still works for it), the admin
 * sends a marker once it has that message (so the marker follows every hostile block), and this
 * resolves when every peer holds the same message list, marker included.
 */
async function settle(
  t: Test,
  admin: Roost,
  last: Roost | null,
  peers: Roost[],
  room: string
): Promise<{ ids: string[]; markerId: string }> {
  if (last !== null) {
    const after = await last.send(room, { text: 'a normal message after the attack' })
    await until([admin], async () =>
      (await allMessages(admin, room)).some((m) => m.id === after.id)
    )
    t.pass('a normal message sent after the hostile blocks reached the admin')
  }
  const marker = await admin.send(room, { text: 'marker' })
  await until(peers, async () => (await convergedOn(peers, room, marker.id)) !== null)
  const ids = (await convergedOn(peers, room, marker.id)) ?? []
  t.pass('every peer converged on the marker with the same message list')
  return { ids, markerId: marker.id }
}

async function assertSameRosters(t: Test, peers: Roost[], room: string, expected: Member[]) {
  for (const p of peers) {
    t.alike(roster(await p.members(room)), roster(expected), 'member list unchanged on this peer')
  }
}

function skippedLengths(peer: Roost, room: string, writer: string): Set<number> {
  const skipped = peer.roomEngine(room).applier.skipped
  return new Set(skipped.filter((s) => s.writer === writer).map((s) => s.length))
}

/** Re-checks `check` on every update of a bare room (one outside any Roost core). */
function untilRoom(room: Room, check: () => Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false
    const evaluate = (): void => {
      if (done) return
      check().then(
        (ok) => {
          if (!ok || done) return
          done = true
          room.off('update', evaluate)
          resolve()
        },
        (err: unknown) => {
          done = true
          room.off('update', evaluate)
          reject(err as Error)
        }
      )
    }
    room.on('update', evaluate)
    evaluate()
  })
}

/**
 * A third party that holds the room's key and encryption key (leaked to it) but is no member:
 * its own store and swarm, replicating the room like any peer.
 */
async function outsider(
  t: Test,
  testnet: Testnet,
  key: Buffer,
  encryptionKey: Buffer
): Promise<Room> {
  const store = new Corestore(await tempDir(t))
  await store.ready()
  const room = new Room(store.namespace('outsider'), { key, encryptionKey })
  await room.ready()
  const network = new Network(store, { bootstrap: bootstrapOf(testnet), host: '127.0.0.1' })
  t.teardown(
    async () => {
      await network.destroy()
      await room.close()
      await store.close()
    },
    { order: 0 }
  )
  await network.join(room.discoveryKey)
  return room
}

test('garbage blocks from a member are skipped alike everywhere', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'carol'])
  const [alice, bob] = peers
  await until(peers, async () => {
    for (const p of peers) if ((await p.members(room)).length !== 3) return false
    return true
  })
  const membersBefore = await alice.members(room)
  const bobWriter = writerId(bob, room)

  const message = await messageSealer(bob, room)
  const valid = message('valid, but with trailing bytes')
  const badUtf8 = plainMessage('abc')
  const at = badUtf8.indexOf(b4a.from('abc'))
  badUtf8[at] = 0xff
  badUtf8[at + 1] = 0xfe
  badUtf8[at + 2] = 0xfd
  const garbage = [
    crypto.randomBytes(1),
    crypto.randomBytes(7),
    crypto.randomBytes(64),
    crypto.randomBytes(1024),
    b4a.alloc(32),
    b4a.concat([b4a.from([5]), crypto.randomBytes(40)]), // the message route id, then junk
    b4a.concat([b4a.from([1]), crypto.randomBytes(200)]), // the member-add route id, then junk
    b4a.concat([b4a.from([0x7f]), message('unknown route')]), // a route id nobody has
    plainMessage('a message in the clear'), // not sealed with the epoch key
    b4a.concat([valid, b4a.from([0, 1, 2])]), // a valid op with trailing bytes
    badUtf8 // a valid op whose text is not UTF-8
  ]
  const seqs = await appendRaw(bob, room, garbage)
  t.is(seqs.length, garbage.length, 'bob wrote every garbage block')

  const { ids } = await settle(t, alice, bob, peers, room)
  const garbageIds = new Set(seqs.map((seq) => `${bobWriter}.${seq}`))
  for (const p of peers) {
    const list = await allMessages(p, room)
    t.absent(
      list.some((m) => garbageIds.has(m.id)),
      'no garbage block became a message'
    )
    t.alike(
      list.map((m) => m.id),
      ids,
      'same message ids in the same order'
    )
    t.absent(
      list.some((m) => m.text === 'valid, but with trailing bytes' || m.text.includes('abc')),
      'no text of a garbage block shows'
    )
  }
  t.is(ids.length, 2, 'only the normal message and the marker are in the room')
  await assertSameRosters(t, peers, room, membersBefore)

  for (const p of peers) {
    const skipped = skippedLengths(p, room, bobWriter)
    t.ok(
      seqs.every((seq) => skipped.has(seq + 1)),
      'the applier logged every garbage block as skipped'
    )
  }
})

test('an oversized message is skipped; the API refuses one and writes nothing', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'carol'])
  const [alice, bob] = peers
  const bobWriter = writerId(bob, room)
  const base = bob.roomEngine(room).base

  // through the API: refused before anything is written
  const countBefore = (await bob.room(room)).messageCount
  const lengthBefore = base.local.length
  await rejectsWithCode(
    t,
    bob.send(room, { text: 'x'.repeat(MAX_MESSAGE_BYTES + 1) }),
    'MESSAGE_TOO_LARGE'
  )
  // fewer characters than the limit, more bytes
  const multiByte = 'x'.repeat(MAX_MESSAGE_BYTES - 1) + 'é'
  t.is(b4a.byteLength(multiByte, 'utf8'), MAX_MESSAGE_BYTES + 1)
  await rejectsWithCode(
    t,
    bob.send(room, { text: multiByte }),
    'MESSAGE_TOO_LARGE',
    'by bytes, not chars'
  )
  t.is((await bob.room(room)).messageCount, countBefore, "bob's message count is unchanged")
  t.is(base.local.length, lengthBefore, "nothing was appended to bob's writer core")

  // past the API: written, but skipped by every peer
  const message = await messageSealer(bob, room)
  const seqs = await appendRaw(bob, room, [
    message('x'.repeat(MAX_MESSAGE_BYTES + 1)),
    message(multiByte)
  ])
  const { ids } = await settle(t, alice, bob, peers, room)
  for (const p of peers) {
    const list = await allMessages(p, room)
    t.alike(
      list.map((m) => m.id),
      ids,
      'same message list on every peer'
    )
    t.absent(
      list.some((m) => seqs.some((seq) => m.id === `${bobWriter}.${seq}`)),
      'the oversized messages are absent'
    )
    t.absent(
      list.some((m) => b4a.byteLength(m.text, 'utf8') > MAX_MESSAGE_BYTES),
      'no message over 64 KiB'
    )
  }
  t.ok(
    seqs.every((seq) => skippedLengths(alice, room, bobWriter).has(seq + 1)),
    'the admin skipped both'
  )
})

test('a message of exactly 64 KiB of mixed UTF-8 round-trips byte-identical', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers

  const mixed = 'é漢😀a' // 2 + 3 + 4 + 1 bytes
  let text = mixed.repeat(Math.floor(MAX_MESSAGE_BYTES / 10))
  text += 'x'.repeat(MAX_MESSAGE_BYTES - b4a.byteLength(text, 'utf8'))
  t.is(b4a.byteLength(text, 'utf8'), MAX_MESSAGE_BYTES, 'exactly 65536 UTF-8 bytes')
  t.ok(text.length < MAX_MESSAGE_BYTES, 'fewer UTF-16 units than bytes')

  const sent = await bob.send(room, { text })
  t.is(sent.text, text, 'the sender reads it back unchanged')
  // the same limit at the apply() boundary: a raw block of exactly 64 KiB is a valid message
  const message = await messageSealer(bob, room)
  const [rawSeq] = await appendRaw(bob, room, [message(text)])
  const rawId = `${writerId(bob, room)}.${rawSeq}`

  await until([alice], async () => {
    const ids = (await allMessages(alice, room)).map((m) => m.id)
    return ids.includes(sent.id) && ids.includes(rawId)
  })
  for (const id of [sent.id, rawId]) {
    const received = (await allMessages(alice, room)).find((m) => m.id === id)
    t.ok(received !== undefined, 'alice has it')
    t.ok(
      b4a.equals(b4a.from(received?.text ?? ''), b4a.from(text)),
      'byte-identical on the other peer'
    )
  }
})

test('admin ops from a non-admin have no effect anywhere', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'carol'])
  const [alice, bob, carol] = peers
  const invite = await alice.createInvite(room)
  await until(peers, async () => {
    for (const p of peers) {
      if ((await p.members(room)).length !== 3) return false
      if (!(await p.invites(room)).some((i) => i.id === invite.id)) return false
    }
    return true
  })
  const membersBefore = await alice.members(room)
  // roomWithMembers invited bob and carol: those invites are there too
  const invitesBefore = (await alice.invites(room)).map((i) => [i.id, i.state])
  t.ok(
    invitesBefore.some(([id, state]) => id === invite.id && state === 'active'),
    "the admin's invite is active"
  )
  const profileOf = (name: string): Buffer =>
    z32.decode(membersBefore.find((m) => m.name === name)?.id ?? '')

  const engine = alice.roomEngine(room)
  const dk = engine.discoveryKey
  // a third party holding the leaked room keys, whom bob tries to make a writer (and an admin)
  const mallory = await outsider(t, testnet, engine.key, engine.encryptionKey)
  const malloryProfile = crypto.keyPair()
  const malloryWriter = mallory.writerKey
  // an invite only bob knows the secret of
  const bobsInvite = BlindPairing.createInvite(engine.key)
  // bob's own signing key, as a modified client has it
  const bobSign = profileSigner(bob)
  const bobWriterKey = bob.roomEngine(room).writerKey

  const blocks = [
    encodeOp('@roost/member-add', {
      writer: malloryWriter,
      profile: malloryProfile.publicKey,
      name: 'mallory',
      role: ROLE.ADMIN,
      signature: crypto.sign(memberBinding(dk, malloryWriter), malloryProfile.secretKey)
    }),
    encodeOp('@roost/member-add', {
      writer: bobWriterKey,
      profile: profileOf('bob'),
      name: 'bob',
      role: ROLE.ADMIN,
      signature: bobSign(memberBinding(dk, bobWriterKey))
    }),
    encodeOp('@roost/member-remove', { profile: profileOf('carol') }),
    encodeOp('@roost/member-remove', { profile: profileOf('alice') }),
    encodeOp('@roost/role-set', { profile: profileOf('bob'), role: ROLE.ADMIN }),
    encodeOp('@roost/role-set', { profile: profileOf('alice'), role: ROLE.MEMBER }),
    encodeOp('@roost/invite-add', {
      id: bobsInvite.id,
      publicKey: bobsInvite.publicKey,
      expires: 0,
      uses: 0
    }),
    encodeOp('@roost/invite-revoke', { id: z32.decode(invite.id) }),
    encodeOp('@roost/room-info', { name: 'pwned', topic: 'pwned' })
  ]
  const seqs = await appendRaw(bob, room, blocks)
  const { markerId } = await settle(t, alice, bob, peers, room)

  await assertSameRosters(t, peers, room, membersBefore)
  for (const p of peers) {
    const engineOf = p.roomEngine(room)
    t.is(await engineOf.writer(malloryWriter), null, "no peer knows mallory's writer")
    t.is(await engineOf.member(malloryProfile.publicKey), null, 'mallory is no member')
    const info = await p.room(room)
    t.is(info.name, 'general', 'room name unchanged')
    t.is(info.topic, '', 'topic unchanged')
    const invites = await p.invites(room)
    t.alike(
      invites.map((i) => [i.id, i.state]),
      invitesBefore,
      "invites unchanged: bob's not added, the admin's still active"
    )
    t.absent(
      invites.some((i) => i.id === z32.encode(bobsInvite.id)),
      "bob's invite is not in the room"
    )
  }
  t.is((await bob.room(room)).role, 'member', 'bob is still a plain member')
  t.is((await alice.room(room)).role, 'admin', 'alice is still admin')
  t.is((await carol.room(room)).role, 'member', 'carol is still a member')
  const skipped = skippedLengths(alice, room, writerId(bob, room))
  t.ok(
    seqs.every((seq) => skipped.has(seq + 1)),
    'the admin skipped every one of them'
  )

  // mallory caught up with the room, yet cannot write
  await untilRoom(mallory, async () => (await mallory.messageById(markerId)) !== null)
  t.absent(mallory.writable, 'mallory is not writable once caught up')
  await t.exception(mallory.base.append(plainMessage('mallory was here')), /Not writable/)

  // the invite bob planted admits nobody: no admin knows it
  const dave = await createPeer(t, testnet, { name: 'dave' })
  await rejectsWithCode(
    t,
    dave.join(z32.encode(bobsInvite.invite), { timeout: 3000 }),
    'JOIN_TIMEOUT',
    "bob's own invite is answered by nobody"
  )
  // the invite bob tried to revoke still works
  const joined = await dave.join(invite.code as string, { timeout: 20_000 })
  t.is(joined.id, room, "the admin's invite still admits")
})

test('writes after removal never reach the others', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'carol'])
  const [alice, bob, carol] = peers
  const bobWriter = writerId(bob, room)
  const bobId = (await alice.members(room)).find((m) => m.name === 'bob')?.id ?? ''
  const base = bob.roomEngine(room).base

  // crafted while bob could still write, sealed with the key he had
  const message = await messageSealer(bob, room)
  const ghost = message('ghost from a removed member')
  const ghostOptimistic = message('optimistic ghost from a removed member')

  await alice.removeMember(room, bobId)
  await until([bob], async () => (await bob.members(room)).find((m) => m.isMe)?.removed === true)
  await until(
    [carol],
    async () => (await carol.members(room)).find((m) => m.id === bobId)?.removed === true
  )
  t.absent((await bob.room(room)).writable, 'bob sees himself not writable')
  t.is((await bob.room(room)).role, null, 'bob has no role')
  await rejectsWithCode(
    t,
    bob.send(room, { text: 'still here?' }),
    'NOT_WRITABLE',
    'the API refuses'
  )

  const lengthAtRemoval = base.local.length
  // apply removed bob's writer from autobase with his membership, so a plain append is refused
  await t.exception(base.append(ghost), /Not writable/, 'autobase refuses: Not writable')
  t.is(base.local.length, lengthAtRemoval, 'nothing was written to his core')
  // a modified client can force a block into its core with an optimistic append
  const optimisticAppend = base.append as unknown as (
    value: Buffer,
    opts: { optimistic: boolean }
  ) => Promise<number>
  await optimisticAppend.call(base, ghostOptimistic, { optimistic: true })
  t.ok(base.local.length > lengthAtRemoval, 'the removed member did write a block')

  const { ids } = await settle(t, alice, null, [alice, carol], room)
  for (const p of [alice, carol]) {
    const list = await allMessages(p, room)
    t.alike(
      list.map((m) => m.id),
      ids,
      'same message list on alice and carol'
    )
    t.absent(
      list.some((m) => m.text.includes('ghost')),
      'no write of the removed member shows'
    )
    t.absent(
      list.some((m) => {
        const [writer, seq] = m.id.split('.')
        return writer === bobWriter && Number(seq) >= lengthAtRemoval
      }),
      'nothing bob wrote after the removal'
    )
    const members = await p.members(room)
    t.alike(
      members.map((m) => [m.name, m.removed]).sort(),
      [
        ['alice', false],
        ['bob', true],
        ['carol', false]
      ],
      'bob is removed'
    )
  }
  t.is((await alice.room(room)).memberCount, 2, 'two members left')
})
