import test from 'brittle'
import z32 from 'z32'
import crypto from 'hypercore-crypto'
import { diagnoseConnection, type LonelyRoom } from '../../src/core/network/connection-trouble.js'
import type { Roost } from '../../src/core/roost.js'
import { freeUdpPort } from '../helpers/processes.js'
import {
  connectionWhere,
  createLoopbackTestnet,
  createPeer,
  rejectsWithCode,
  roomWithMembers,
  tempDir
} from '../helpers/index.js'

const LONELY: LonelyRoom = {
  lonelyForMs: 60_000,
  troubleAfterMs: 10_000,
  dhtReachable: true,
  symmetricNat: false,
  peersNeedingRelay: 0,
  hasRelay: false,
  hasBlindPeer: false,
  onlyMember: false
}

test('diagnosis: each reason nobody is reachable, and none while still connecting', (t) => {
  const code = (room: Partial<LonelyRoom>) => diagnoseConnection({ ...LONELY, ...room })?.code
  t.is(code({ lonelyForMs: 9_999 }), undefined, 'still connecting: no trouble yet')
  t.is(code({ dhtReachable: null }), undefined, 'still bootstrapping: no trouble yet')
  t.is(code({ dhtReachable: false }), 'NO_NETWORK')
  t.is(code({ dhtReachable: false, peersNeedingRelay: 2 }), 'NO_NETWORK', 'no network comes first')
  t.is(code({ peersNeedingRelay: 1 }), 'NEEDS_RELAY', 'a member answered but cannot be punched')
  t.is(code({ peersNeedingRelay: 1, hasRelay: true }), 'PEERS_UNREACHABLE', 'the relay is trying')
  t.is(code({}), 'PEERS_OFFLINE')
  t.is(code({ onlyMember: true }), undefined, 'alone in a new room: not trouble')
  t.is(code({ onlyMember: true, dhtReachable: false }), 'NO_NETWORK', 'but no network still is')
  const strict = diagnoseConnection({ ...LONELY, symmetricNat: true })
  t.ok(strict?.hint.includes('symmetric NAT'), 'behind a symmetric NAT without relay: says so')
  const kept = diagnoseConnection({ ...LONELY, hasBlindPeer: true })
  t.ok(kept?.hint.includes('blind peer'), 'with a blind peer: the hint says it keeps messages')
})

test('when the other member goes offline the room reports PEERS_OFFLINE; it clears when they are back', async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const alice = await createPeer(t, testnet, { name: 'alice', troubleAfterMs: 300 })
  const bobDir = await tempDir(t)
  const bob = await createPeer(t, testnet, { name: 'bob', dataDir: bobDir })
  const room = await alice.createRoom({ name: 'quiet' })
  const invite = await alice.createInvite(room.id, {})
  await bob.join(invite.code as string)
  const connected = await connectionWhere(alice, room.id, (c) => c.peers === 1)
  t.is(connected.trouble, null, 'connected: no trouble')
  t.is(connected.direct, 1)

  await bob.close()
  const lonely = await connectionWhere(alice, room.id, (c) => c.trouble !== null)
  t.is(lonely.trouble?.code, 'PEERS_OFFLINE')
  t.is(lonely.peers, 0)
  const status = await alice.status()
  t.is(status.rooms[0]?.connection.trouble?.code, 'PEERS_OFFLINE', 'status says so too')
  t.is(status.dht.reachable, true, 'the DHT answers')

  await createPeer(t, testnet, { dataDir: bobDir }) // bob again, on the same data dir
  const back = await connectionWhere(alice, room.id, (c) => c.peers === 1)
  t.is(back.trouble, null, 'bob is back: no trouble')
})

test('no DHT node answering reports NO_NETWORK', async (t) => {
  const silent = `127.0.0.1:${await freeUdpPort()}`
  const alice = await createPeer(t, null, {
    name: 'alice',
    bootstrap: [silent],
    troubleAfterMs: 300
  })
  const room = await alice.createRoom({ name: 'alone' })
  const trouble = await connectionWhere(alice, room.id, (c) => c.trouble !== null)
  t.is(trouble.trouble?.code, 'NO_NETWORK')
  t.ok(trouble.trouble?.hint.includes('UDP'), 'the hint names what to check')
  t.is((await alice.status()).dht.reachable, false)
})

test('relay setting: validated, saved, listed first among the relays, and cleared', async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice'])
  const alice = peers[0] as Roost
  const mirror = z32.encode(crypto.keyPair().publicKey)
  await alice.addMirror(room, mirror)
  const relay = z32.encode(crypto.keyPair().publicKey)
  await rejectsWithCode(t, alice.setConfig({ relay: 'not a key' }), 'BLIND_PEER_KEY_INVALID')
  t.is((await alice.setConfig({ relay })).relay, relay)
  t.alike(
    (await alice.status()).relays,
    [relay, mirror],
    "the configured relay, then the room's blind peer"
  )
  t.is((await alice.setConfig({ relay: null })).relay, null)
  t.alike((await alice.status()).relays, [mirror])
})
