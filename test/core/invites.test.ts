import test, { type Test } from 'brittle'
import BlindPairing from 'blind-pairing'
import Corestore from 'corestore'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import { parseInviteCode } from '../../src/core/invites/invite-code.js'
import { encodeJoinRequest } from '../../src/core/invites/join-request.js'
import {
  bindWriter,
  deviceProof,
  identityFromKeyPair
} from '../../src/core/identity/identity-key.js'
import { requestJoin } from '../../src/core/invites/request-join.js'
import { Network } from '../../src/core/network/network.js'
import type { Roost } from '../../src/core/roost.js'
import { memberBinding } from '../../src/core/rooms/ops.js'
import { INVITE_LINK_PREFIX } from '../../src/shared/api/contract.js'
import {
  allMessages,
  bootstrapOf,
  createLoopbackTestnet,
  createPeer,
  rejectsWithCode,
  roster,
  roomWithMembers,
  tempDir,
  until,
  type Testnet
} from '../helpers/index.js'

const OPTS = { timeout: 60_000 }

/** Every peer's message id list, once all of them hold `count` messages in the same order. */
async function convergedIds(peers: Roost[], room: string, count: number): Promise<string[] | null> {
  const lists = await Promise.all(
    peers.map(async (p) => (await allMessages(p, room)).map((m) => m.id))
  )
  if (lists.some((ids) => ids.length !== count)) return null
  const first = lists[0].join(',')
  return lists.every((ids) => ids.join(',') === first) ? lists[0] : null
}

/**
 * A bare blind-pairing candidate on the testnet, outside any Roost core: it lets a test send an
 * admin a join request that skipped the joiner's own checks (a modified client).
 */
async function rawPairing(t: Test, testnet: Testnet): Promise<BlindPairing> {
  const store = new Corestore(await tempDir(t))
  await store.ready()
  const network = new Network(store, { bootstrap: bootstrapOf(testnet), host: '127.0.0.1' })
  const pairing = new BlindPairing(network.swarm, { poll: 1000 })
  t.teardown(
    async () => {
      await pairing.close()
      await network.destroy()
      await store.close()
    },
    { order: 0 }
  )
  return pairing
}

/** A well-formed, correctly signed join request for the room an invite names. */
async function signedJoinRequest(discoveryKey: Buffer, name: string): Promise<Buffer> {
  const profile = crypto.keyPair()
  const device = crypto.keyPair()
  const proof = await deviceProof(identityFromKeyPair(profile), device.publicKey)
  const writer = crypto.randomBytes(32)
  return encodeJoinRequest({
    writer,
    profile: profile.publicKey,
    name,
    signature: crypto.sign(memberBinding(discoveryKey, writer), profile.secretKey),
    boxKey: crypto.keyPair().publicKey,
    binding: bindWriter(discoveryKey, writer, device, proof)
  })
}

test('three members: messages from all three converge in the same order', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'carol'])
  const [alice, bob, carol] = peers

  // every peer sees all three as members
  await until(peers, async () => {
    for (const p of peers) if ((await p.members(room)).length !== 3) return false
    return true
  })
  const members = await alice.members(room)
  t.alike(
    members.map((m) => [m.name, m.role, m.removed]).sort(),
    [
      ['alice', 'admin', false],
      ['bob', 'member', false],
      ['carol', 'member', false]
    ],
    'admin plus two invited members'
  )
  for (const p of [bob, carol]) {
    t.alike(roster(await p.members(room)), roster(members), 'same member list on every peer')
  }

  // concurrent sends from all three
  const sent = await Promise.all([
    alice.send(room, { text: 'a1' }),
    bob.send(room, { text: 'b1' }),
    carol.send(room, { text: 'c1' }),
    alice.send(room, { text: 'a2' }),
    bob.send(room, { text: 'b2' }),
    carol.send(room, { text: 'c2' })
  ])

  await until(peers, async () => (await convergedIds(peers, room, 6)) !== null)
  const ids = await convergedIds(peers, room, 6)
  t.ok(ids !== null, 'all three peers hold the same 6 messages in the same order')
  t.alike(new Set(ids ?? []), new Set(sent.map((m) => m.id)), 'exactly the messages that were sent')
  const texts = (await allMessages(carol, room)).map((m) => m.text)
  t.alike(new Set(texts), new Set(['a1', 'a2', 'b1', 'b2', 'c1', 'c2']), 'every text arrived')
  const byBob = (await allMessages(alice, room)).find((m) => m.text === 'b1')
  t.is(byBob?.authorName, 'bob', 'author resolved on the admin side')
})

test('garbage invite strings are INVITE_INVALID; a roost:// link joins', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const alice = await createPeer(t, testnet, { name: 'alice' })
  const bob = await createPeer(t, testnet, { name: 'bob' })
  const created = await alice.createRoom({ name: 'general' })
  await alice.flush()

  const random = crypto.randomBytes(100)
  // byte 0 is not invite version 1, so the case is deterministic: about 1 in 512 fully random
  // buffers has a valid invite header, and that case is the next one
  random[0] = 0
  // random bytes behind a valid header (version 1, flags: has a room): still not an invite
  const headed = crypto.randomBytes(100)
  headed[0] = 1
  headed[1] = 1
  const garbage: Array<[string, string]> = [
    ['hello world!!', 'not z32'],
    ['ybndrfg8', 'a short valid z32 string'],
    [z32.encode(random), 'random z32 of 100 bytes'],
    [z32.encode(headed), '100 random bytes with an invite header'],
    ['', 'empty string'],
    ['   ', 'blank string'],
    [INVITE_LINK_PREFIX + 'garbage!!', 'a roost://invite/ link with garbage'],
    [INVITE_LINK_PREFIX, 'a roost://invite/ link with nothing']
  ]
  for (const [code, what] of garbage) {
    // a short timeout bounds the failure mode (a garbage code taken for a real one times out)
    await rejectsWithCode(t, bob.join(code, { timeout: 3000 }), 'INVITE_INVALID', what)
  }
  t.is((await bob.rooms()).length, 0, 'no room was added by garbage')

  const invite = await alice.createInvite(created.id)
  t.is(invite.link, INVITE_LINK_PREFIX + invite.code, 'link is the prefix plus the code')
  const joined = await bob.join(invite.link as string)
  t.is(joined.id, created.id, 'the link joined the room')
  await until([alice, bob], async () => (await bob.room(created.id)).writable)
  const members = await alice.members(created.id)
  t.alike(members.map((m) => m.name).sort(), ['alice', 'bob'], 'bob is a member')
})

test('expired invite: INVITE_EXPIRED, locally and from the admin', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const alice = await createPeer(t, testnet, { name: 'alice' })
  const bob = await createPeer(t, testnet, { name: 'bob' })
  const created = await alice.createRoom({ name: 'general' })
  await alice.flush()

  const invite = await alice.createInvite(created.id, { expiresIn: 1 })
  t.ok(invite.expiresAt !== null, 'the invite has an expiry')
  const expiresAt = invite.expiresAt as number
  t.is(expiresAt % 1000, 0, 'expiry is carried in whole seconds')
  // The passage of wall-clock time is itself what is tested here: no event marks it. The invite
  // stores its expiry rounded down to a second, so this wait is at most ~1 ms in practice.
  while (Date.now() <= expiresAt) {
    await new Promise((resolve) => setTimeout(resolve, expiresAt - Date.now() + 1))
  }

  await rejectsWithCode(t, bob.join(invite.code as string, { timeout: 10_000 }), 'INVITE_EXPIRED')
  t.is((await bob.rooms()).length, 0, 'bob has no room')
  const [listed] = await alice.invites(created.id)
  t.is(listed.state, 'expired', 'the admin lists the invite as expired')

  // a modified client skips the local expiry check: the admin must deny it itself
  const pairing = await rawPairing(t, testnet)
  const parsed = parseInviteCode(invite.code)
  const request = await signedJoinRequest(parsed.discoveryKey, 'mallory')
  await rejectsWithCode(
    t,
    requestJoin(pairing, { ...parsed, expires: 0 }, request, 20_000),
    'INVITE_EXPIRED',
    'the admin denies an expired invite with INVITE_EXPIRED'
  )
  const members = await alice.members(created.id)
  t.alike(
    members.map((m) => m.name),
    ['alice'],
    'nobody was admitted'
  )
})

test('use count: an invite for one admits one, then INVITE_USED', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const alice = await createPeer(t, testnet, { name: 'alice' })
  const bob = await createPeer(t, testnet, { name: 'bob' })
  const carol = await createPeer(t, testnet, { name: 'carol' })
  const created = await alice.createRoom({ name: 'general' })
  await alice.flush()

  const invite = await alice.createInvite(created.id, { uses: 1 })
  t.is(invite.uses, 1)
  t.is(invite.usesLeft, 1)
  t.is(invite.state, 'active')

  const joined = await bob.join(invite.code as string, { timeout: 20_000 })
  t.is(joined.id, created.id, 'the first joiner gets in')
  await until([alice, bob], async () => (await bob.room(created.id)).writable)

  await rejectsWithCode(t, carol.join(invite.code as string, { timeout: 20_000 }), 'INVITE_USED')
  t.is((await carol.rooms()).length, 0, 'carol has no room')

  const [listed] = await alice.invites(created.id)
  t.is(listed.id, invite.id)
  t.is(listed.usesLeft, 0, 'no uses left')
  t.is(listed.state, 'used', 'state used')
  const members = await alice.members(created.id)
  t.alike(members.map((m) => m.name).sort(), ['alice', 'bob'], 'only bob was admitted')
  // bob sees the same invite record once the room converged
  await until([alice, bob], async () => (await bob.invites(created.id))[0]?.state === 'used')
  t.pass('the member sees the invite used up too')
})

test('revoked invite: INVITE_REVOKED and no new member', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const alice = await createPeer(t, testnet, { name: 'alice' })
  const bob = await createPeer(t, testnet, { name: 'bob' })
  const created = await alice.createRoom({ name: 'general' })
  await alice.flush()

  const invite = await alice.createInvite(created.id)
  const before = roster(await alice.members(created.id))
  await alice.revokeInvite(created.id, invite.id)
  const [listed] = await alice.invites(created.id)
  t.is(listed.revoked, true)
  t.is(listed.state, 'revoked')

  await rejectsWithCode(t, bob.join(invite.code as string, { timeout: 20_000 }), 'INVITE_REVOKED')
  t.is((await bob.rooms()).length, 0, 'bob has no room')
  t.alike(roster(await alice.members(created.id)), before, "the admin's member list is unchanged")
})

test('a member who is not an admin cannot create or revoke invites', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers

  await rejectsWithCode(t, bob.createInvite(room), 'NOT_ADMIN', 'createInvite: NOT_ADMIN')
  const invite = await alice.createInvite(room)
  await until([bob], async () => (await bob.invites(room)).some((i) => i.id === invite.id))
  await rejectsWithCode(
    t,
    bob.revokeInvite(room, invite.id),
    'NOT_ADMIN',
    'revokeInvite: NOT_ADMIN'
  )
  const listed = (await alice.invites(room)).find((i) => i.id === invite.id)
  t.is(listed?.state, 'active', 'the invite is still active')
})

test('no admin online: JOIN_TIMEOUT', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const alice = await createPeer(t, testnet, { name: 'alice' })
  const bob = await createPeer(t, testnet, { name: 'bob' })
  const created = await alice.createRoom({ name: 'general' })
  await alice.flush()
  const invite = await alice.createInvite(created.id)
  await alice.close()

  await rejectsWithCode(t, bob.join(invite.code as string, { timeout: 3000 }), 'JOIN_TIMEOUT')
  t.is((await bob.rooms()).length, 0, 'bob has no room')
})
