import test from 'brittle'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import type { Roost } from '../../src/core/roost.js'
import { encodeOp, memberBinding, ROLE } from '../../src/core/rooms/ops.js'
import {
  allMessages,
  appendRaw,
  createLoopbackTestnet,
  createPeer,
  profileIdOf,
  profileSigner,
  rejectsWithCode,
  roster,
  roomWithMembers,
  skippedLengthsOf,
  until,
  untilRoom
} from '../helpers/index.js'

const OPTS = { timeout: 90_000 }

function writerId(peer: Roost, room: string): string {
  return z32.encode(peer.roomEngine(room).writerKey)
}

/**
 * The room's indexer writers as autobase has them on this peer (z32, sorted); null while autobase
 * reboots its apply state (base.system is null then, e.g. right after the indexer set changed).
 */
function indexersOf(peer: Roost, room: string): string[] | null {
  const system = peer.roomEngine(room).base.system as { indexers: Array<{ key: Buffer }> } | null
  return system === null ? null : system.indexers.map((i) => z32.encode(i.key)).sort()
}

/** indexersOf once the peer's apply state is up. */
async function indexersNow(peer: Roost, room: string): Promise<string[]> {
  await untilRoom([peer], room, () => indexersOf(peer, room) !== null)
  return indexersOf(peer, room) ?? []
}

async function memberOf(peer: Roost, room: string, id: string) {
  return (await peer.members(room)).find((m) => m.id === id) ?? null
}

async function everyPeer(peers: Roost[], check: (p: Roost) => Promise<boolean>): Promise<boolean> {
  for (const p of peers) if (!(await check(p))) return false
  return true
}

/** A member-add as an admin's client could write it raw, for a profile and writer it made up. */
function craftedAdd(
  discoveryKey: Buffer,
  inviteId: Buffer,
  timestamp: number,
  name: string
): { block: Buffer; profile: Buffer; writer: Buffer } {
  const profile = crypto.keyPair()
  const writer = crypto.keyPair().publicKey
  const block = encodeOp('@roost/member-add', {
    writer,
    profile: profile.publicKey,
    name,
    role: ROLE.MEMBER,
    signature: crypto.sign(memberBinding(discoveryKey, writer), profile.secretKey),
    inviteId,
    timestamp,
    boxKey: crypto.keyPair().publicKey
  })
  return { block, profile: profile.publicKey, writer }
}

test(
  'removal sticks: MEMBER_REMOVED with the old invite, back only with a personal one',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const [alice, mallory, eve] = await Promise.all(
      ['alice', 'mallory', 'eve'].map((name) => createPeer(t, testnet, { name }))
    )
    const created = await alice.createRoom({ name: 'general' })
    const room = created.id
    await alice.flush()
    const invite = await alice.createInvite(room) // unlimited, never expires
    await mallory.join(invite.code as string)
    await until([mallory], async () => (await mallory.room(room)).writable)
    const malloryId = await profileIdOf(mallory)

    await alice.removeMember(room, malloryId)
    await until(
      [mallory],
      async () => (await mallory.members(room)).find((m) => m.isMe)?.removed === true
    )
    await mallory.leaveRoom(room)
    t.is((await mallory.rooms()).length, 0, 'mallory left the room locally')

    await rejectsWithCode(
      t,
      mallory.join(invite.code as string, { timeout: 30_000 }),
      'MEMBER_REMOVED',
      'the unlimited invite does not bring a removed member back'
    )
    t.is((await mallory.rooms()).length, 0, 'mallory has no room after the refusal')
    t.is(
      (await memberOf(alice, room, malloryId))?.removed,
      true,
      'alice still shows mallory removed'
    )
    t.is((await alice.room(room)).memberCount, 1, 'alice is alone')

    // past the admitter: an admin's raw member-add bringing her back with the ordinary invite,
    // with a binding mallory signed for a new writer, is skipped by apply
    const dk = alice.roomEngine(room).discoveryKey
    const sneakWriter = crypto.keyPair().publicKey
    const [sneakSeq] = await appendRaw(alice, room, [
      encodeOp('@roost/member-add', {
        writer: sneakWriter,
        profile: z32.decode(malloryId),
        name: 'mallory',
        role: ROLE.MEMBER,
        signature: profileSigner(mallory)(memberBinding(dk, sneakWriter)),
        inviteId: z32.decode(invite.id),
        timestamp: Date.now(),
        boxKey: crypto.keyPair().publicKey
      })
    ])
    const aliceW = writerId(alice, room)
    t.ok(skippedLengthsOf(alice, room, aliceW).has(sneakSeq + 1), 'apply skipped it')
    t.is((await memberOf(alice, room, malloryId))?.removed, true, 'mallory is still removed')
    t.is(await alice.roomEngine(room).writer(sneakWriter), null, 'the writer was not added')

    const personal = await alice.createInvite(room, { forProfile: malloryId })
    t.is(personal.forProfile, malloryId, 'the invite names mallory')
    const back = await mallory.join(personal.code as string, { timeout: 30_000 })
    t.is(back.id, room, 'the personal invite admits mallory')
    await until([mallory], async () => (await mallory.room(room)).writable)
    t.is((await mallory.room(room)).role, 'member', 'she is a member again')
    await until([alice], async () => (await memberOf(alice, room, malloryId))?.removed === false)
    t.pass('alice sees mallory active again')
    const sent = await mallory.send(room, { text: 'back again' })
    await until([alice], async () => (await allMessages(alice, room)).some((m) => m.id === sent.id))
    t.pass("mallory's message reached alice")
    t.is(
      await mallory.roomEngine(room).writer(sneakWriter),
      null,
      "mallory's own view has no trace of the raw re-add either"
    )

    await rejectsWithCode(
      t,
      eve.join(personal.code as string, { timeout: 30_000 }),
      'INVITE_REVOKED',
      "another profile cannot use mallory's personal invite"
    )
    t.is((await eve.rooms()).length, 0, 'eve has no room')
    t.absent(
      (await alice.members(room)).some((m) => m.name === 'eve'),
      'eve is not a member'
    )
  }
)

test(
  'voluntary leave is no removal; the last admin cannot leave others behind',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
    const [alice, bob] = peers
    const bobId = await profileIdOf(bob)

    await bob.leaveRoom(room)
    t.is((await bob.rooms()).length, 0, 'bob no longer has the room')
    await until([alice], async () => (await memberOf(alice, room, bobId))?.removed === true)
    t.pass('alice sees bob gone')

    const invite = await alice.createInvite(room)
    const joined = await bob.join(invite.code as string, { timeout: 30_000 })
    t.is(joined.id, room, 'an ordinary invite brings back a member who left')
    await until([bob], async () => (await bob.room(room)).writable)
    t.is((await bob.room(room)).role, 'member', 'bob is a member again')
    await until([alice], async () => (await memberOf(alice, room, bobId))?.removed === false)
    const sent = await bob.send(room, { text: 'hello again' })
    await until([alice], async () => (await allMessages(alice, room)).some((m) => m.id === sent.id))
    t.pass("bob's message after rejoining reached alice")

    await rejectsWithCode(t, alice.leaveRoom(room), 'LAST_ADMIN', 'the only admin cannot leave')
    t.is((await alice.room(room)).role, 'admin', 'alice is still in the room as admin')
    t.is((await memberOf(alice, room, await profileIdOf(alice)))?.removed, false)
  }
)

test(
  'a single-use invite raced by two joiners at two admins admits exactly one',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
    const [alice, bob] = peers
    const [carol, dave] = await Promise.all(
      ['carol', 'dave'].map((name) => createPeer(t, testnet, { name }))
    )
    const bobId = await profileIdOf(bob)
    await alice.setRole(room, bobId, 'admin')
    await untilRoom([alice, bob], room, async () => {
      if ((await bob.room(room)).role !== 'admin') return false
      if ((await memberOf(alice, room, bobId))?.role !== 'admin') return false
      return indexersOf(alice, room)?.length === 2 && indexersOf(bob, room)?.length === 2
    })
    t.pass('both see bob as admin and both writers index')

    const invite = await alice.createInvite(room, { uses: 1 })
    await until([bob], async () => (await bob.invites(room)).some((i) => i.id === invite.id))
    await Promise.all([alice.flush(), bob.flush()])

    const results = await Promise.allSettled([
      carol.join(invite.code as string, { timeout: 40_000 }),
      dave.join(invite.code as string, { timeout: 40_000 })
    ])
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r) => r.status === 'rejected')
    t.is(won.length, 1, 'exactly one joiner got in')
    t.is(lost.length, 1, 'exactly one was refused')
    if (won.length !== 1 || lost.length !== 1) {
      for (const r of results) t.comment(r.status === 'rejected' ? String(r.reason) : 'joined')
      return
    }
    t.is(
      ((lost[0] as PromiseRejectedResult).reason as { code?: string }).code,
      'INVITE_USED',
      'the loser is told INVITE_USED (not JOIN_TIMEOUT)'
    )
    const winner = results[0].status === 'fulfilled' ? carol : dave
    const loser = winner === carol ? dave : carol
    const winnerId = await profileIdOf(winner)
    const loserId = await profileIdOf(loser)
    t.is((await loser.rooms()).length, 0, 'the loser has no room')

    const holders = [alice, bob, winner]
    await until([winner], async () => (await winner.room(room)).writable)
    await until(holders, () =>
      everyPeer(holders, async (p) => {
        const ids = (await p.members(room)).filter((m) => !m.removed).map((m) => m.id)
        if (!ids.includes(winnerId)) return false
        const listed = (await p.invites(room)).find((i) => i.id === invite.id)
        return listed?.usesLeft === 0
      })
    )
    for (const p of holders) {
      const members = await p.members(room)
      t.ok(
        members.some((m) => m.id === winnerId && !m.removed),
        'the winner is a member on this peer'
      )
      t.absent(
        members.some((m) => m.id === loserId),
        'the loser is not in the member list on this peer'
      )
      const listed = (await p.invites(room)).find((i) => i.id === invite.id)
      t.is(listed?.usesLeft, 0, 'the invite has no uses left on this peer')
      t.is(listed?.state, 'used')
    }
    t.alike(roster(await bob.members(room)), roster(await alice.members(room)), 'same roster')

    // the same race at the apply() boundary, without the admitters' own checks: both admins write
    // a member-add with one more single-use invite at once; the final order lets one of them in
    const second = await alice.createInvite(room, { uses: 1 })
    await until([bob], async () => (await bob.invites(room)).some((i) => i.id === second.id))
    const dk = alice.roomEngine(room).discoveryKey
    const now = Date.now()
    const viaAlice = craftedAdd(dk, z32.decode(second.id), now, 'viaalice')
    const viaBob = craftedAdd(dk, z32.decode(second.id), now, 'viabob')
    await Promise.all([
      appendRaw(alice, room, [viaAlice.block]),
      appendRaw(bob, room, [viaBob.block])
    ])
    // a message of each admin after its add: once a peer has both, it applied both adds
    const [ma, mb] = await Promise.all([
      alice.send(room, { text: 'after the raced add (alice)' }),
      bob.send(room, { text: 'after the raced add (bob)' })
    ])
    await until(holders, () =>
      everyPeer(holders, async (p) => {
        const ids = (await allMessages(p, room)).map((m) => m.id)
        return ids.includes(ma.id) && ids.includes(mb.id)
      })
    )
    const admitted = async (p: Roost): Promise<string[]> => {
      const names: string[] = []
      for (const c of [viaAlice, viaBob]) {
        const m = await p.roomEngine(room).member(c.profile)
        if (m !== null && !m.removed) names.push(m.name)
      }
      return names
    }
    const counts = await Promise.all(holders.map(async (p) => (await admitted(p)).length))
    t.alike(counts, [1, 1, 1], 'on every peer exactly one raced member-add took the single use')
    await untilRoom(holders, room, async () => {
      const lists = (await Promise.all(holders.map(admitted))).map((l) => l.join())
      return lists.every((l) => l === lists[0])
    })
    t.pass('every peer agrees on which one')
    for (const p of holders) {
      const listed = (await p.invites(room)).find((i) => i.id === second.id)
      t.is(listed?.usesLeft, 0, 'the second invite is used up on this peer')
    }
  }
)

test('member-add is judged by its own timestamp against the invite expiry', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice] = peers
  const invite = await alice.createInvite(room, { expiresIn: 1000 })
  const expires = invite.expiresAt as number
  t.ok(typeof expires === 'number' && expires > 0, 'the invite expires')
  const dk = alice.roomEngine(room).discoveryKey
  const inviteId = z32.decode(invite.id)

  const late = craftedAdd(dk, inviteId, expires + 1, 'late')
  const onTime = craftedAdd(dk, inviteId, expires - 1, 'ontime')
  const atExpiry = craftedAdd(dk, inviteId, expires, 'atexpiry')
  const seqs = await appendRaw(alice, room, [late.block, atExpiry.block, onTime.block])

  // onTime comes last in alice's core: once a peer has it, it applied the other two as well
  await untilRoom(peers, room, () =>
    everyPeer(peers, async (p) => (await p.roomEngine(room).member(onTime.profile)) !== null)
  )
  for (const p of peers) {
    const engine = p.roomEngine(room)
    t.is(await engine.member(late.profile), null, 'a member-add after the expiry adds nobody')
    t.is(await engine.writer(late.writer), null, 'nor its writer')
    t.is(await engine.member(atExpiry.profile), null, 'a member-add at the expiry adds nobody')
    t.is((await engine.member(onTime.profile))?.removed, false, 'one before the expiry adds')
    t.ok((await engine.writer(onTime.writer)) !== null, 'and its writer')
  }
  const skipped = skippedLengthsOf(alice, room, writerId(alice, room))
  t.ok(skipped.has(seqs[0] + 1) && skipped.has(seqs[1] + 1), 'alice logged both late adds skipped')
  const listed = (await alice.invites(room)).find((i) => i.id === invite.id)
  t.is(listed?.uses, null, 'unlimited invite (no use count to blame)')
})

test('indexers follow admins; the last admin cannot step down or be removed', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'carol'])
  const [alice, bob, carol] = peers
  const [aliceW, bobW, carolW] = peers.map((p) => writerId(p, room))
  const bobId = await profileIdOf(bob)
  const aliceId = await profileIdOf(alice)
  const indexedBy = (expected: string[], on: Roost[] = peers) =>
    untilRoom(on, room, () =>
      on.every((p) => indexersOf(p, room)?.join() === [...expected].sort().join())
    )

  await indexedBy([aliceW])
  t.pass('at first only the creator indexes, on every peer')

  await alice.setRole(room, bobId, 'admin')
  await indexedBy([aliceW, bobW])
  t.pass('bob made admin: alice and bob index, on every peer')
  t.absent(
    (await indexersNow(alice, room)).includes(carolW),
    'carol (invited member) never indexes'
  )

  await alice.setRole(room, bobId, 'member')
  await indexedBy([aliceW])
  t.pass('bob back to member: only alice indexes again')

  await alice.setRole(room, bobId, 'admin')
  await indexedBy([aliceW, bobW])
  await alice.removeMember(room, bobId)
  await indexedBy([aliceW], [alice, carol])
  t.pass("removing admin bob takes his writer out of the indexers (alice's and carol's view)")
  // the system's indexers and the view's records are read apart: while autobase re-applies a
  // batch the two can be a step apart, so wait for the record too (it fails if never removed)
  await untilRoom([alice, carol], room, async () => {
    for (const p of [alice, carol]) {
      if ((await p.roomEngine(room).writer(z32.decode(bobW)))?.removed !== true) return false
    }
    return true
  })
  t.pass("bob's writer is marked removed in alice's and carol's view")

  await rejectsWithCode(t, alice.setRole(room, aliceId, 'member'), 'LAST_ADMIN', 'setRole')
  await rejectsWithCode(t, alice.removeMember(room, aliceId), 'LAST_ADMIN', 'removeMember')
  // past the API: apply refuses it too
  const [raw] = await appendRaw(alice, room, [
    encodeOp('@roost/role-set', { profile: z32.decode(aliceId), role: ROLE.MEMBER }),
    encodeOp('@roost/member-remove', { profile: z32.decode(aliceId) })
  ])
  const marker = await alice.send(room, { text: 'marker' })
  await until([carol], async () => (await allMessages(carol, room)).some((m) => m.id === marker.id))
  for (const p of [alice, carol]) {
    t.is((await memberOf(p, room, aliceId))?.role, 'admin', 'alice is still admin')
    t.is((await memberOf(p, room, aliceId))?.removed, false, 'and not removed')
    t.alike(await indexersNow(p, room), [aliceW], 'and still the indexer')
  }
  const skipped = skippedLengthsOf(alice, room, aliceW)
  t.ok(skipped.has(raw + 1) && skipped.has(raw + 2), 'the raw demotion and removal were skipped')
})

test('a member-add for an active admin never changes the role', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers
  const bobId = await profileIdOf(bob)
  await alice.setRole(room, bobId, 'admin')
  await until(peers, () =>
    everyPeer(peers, async (p) => (await memberOf(p, room, bobId))?.role === 'admin')
  )
  const invite = await alice.createInvite(room)

  // bob signed a binding for a second device (as his client does on another machine)
  const dk = alice.roomEngine(room).discoveryKey
  const writer = crypto.keyPair().publicKey
  const block = encodeOp('@roost/member-add', {
    writer,
    profile: z32.decode(bobId),
    name: 'bob',
    role: ROLE.MEMBER,
    signature: profileSigner(bob)(memberBinding(dk, writer)),
    inviteId: z32.decode(invite.id),
    timestamp: Date.now(),
    boxKey: crypto.keyPair().publicKey
  })
  await appendRaw(alice, room, [block])
  await untilRoom(peers, room, () =>
    everyPeer(peers, async (p) => (await p.roomEngine(room).writer(writer)) !== null)
  )
  t.pass("every peer applied the member-add (bob's second writer is known)")
  for (const p of peers) {
    const bobNow = await memberOf(p, room, bobId)
    t.is(bobNow?.role, 'admin', 'bob is still admin on this peer')
    t.is(bobNow?.removed, false)
  }
  t.is((await bob.room(room)).role, 'admin', 'bob sees himself admin')
  // and bob can still do what admins do
  const his = await bob.createInvite(room)
  await until([alice], async () => (await alice.invites(room)).some((i) => i.id === his.id))
  t.pass("bob's invite (an admin op) was accepted")
})
