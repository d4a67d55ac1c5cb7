import test from 'brittle'
import type { Test } from 'brittle'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import {
  block,
  createBlindPeerClient,
  readFromBlindPeer,
  type BlindPeerClient,
  type ClientCore
} from '../helpers/blind-peer-client.js'
import { createRelayAsker } from '../helpers/blind-peer-relay.js'
import { bootstrapOf, createLoopbackTestnet, tempDir, type Testnet } from '../helpers/index.js'
import {
  BLIND_PEER_BIN,
  runProcess,
  startBlindPeer,
  type RunningProcess
} from '../helpers/processes.js'

const OPTS = { timeout: 60_000 }
const BLOCK = 1000
const z = (key: Buffer): string => z32.encode(key)

/** A room of `client`'s own, registered with the blind peer, its creator core holding `blocks`. */
async function registeredRoom(
  client: BlindPeerClient,
  daemon: RunningProcess,
  name: string,
  blocks: number,
  writers: ClientCore[] = []
): Promise<ClientCore> {
  const room = await client.core(
    name,
    Array.from({ length: blocks }, () => block(BLOCK))
  )
  client.addCore(room, room.key) // refused until registered, then taken
  await daemon.waitForLine(new RegExp(`room ${z(room.key)}: room not registered here`))
  const reply = await client.putManifest(
    {
      roomKey: room.key,
      version: 1,
      mirrors: [client.blindPeer],
      admins: [room.key],
      writers: [room.key, ...writers.map((w) => w.key)],
      cores: []
    },
    room.keyPair
  )
  if (!reply.accepted) throw new Error(`manifest refused: ${reply.reason}`)
  return room
}

async function daemonWith(t: Test, testnet: Testnet, flags: string[]) {
  const storage = await tempDir(t)
  const daemon = await startBlindPeer(t, storage, bootstrapOf(testnet), flags)
  return { storage, daemon: daemon.process, key: daemon.key }
}

async function statusOf(t: Test, storage: string): Promise<string> {
  return (await runProcess(t, [BLIND_PEER_BIN, 'status', '--storage', storage])).stdout
}

/** Appends `n` blocks; resolves with the length the blind peer holds once it logs knowing of them. */
async function growsNoMore(daemon: RunningProcess, core: ClientCore, n: number): Promise<number> {
  await core.core.append(Array.from({ length: n }, () => block(BLOCK)))
  const line = await daemon.waitForLine(
    new RegExp(`core ${z(core.key)} held at length \\d+: a peer has ${core.core.length} `)
  )
  return Number(/held at length (\d+)/.exec(line)?.[1])
}

test('the room quota: a full room stops growing, takes no new core, says so', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { storage, daemon, key } = await daemonWith(t, testnet, ['--room-quota', '8KB'])
  const client = await createBlindPeerClient(t, testnet, key)
  const member = await client.core('member', [block(BLOCK)])
  const room = await registeredRoom(client, daemon, 'room', 16, [member])
  const stopped = await daemon.waitForLine(
    new RegExp(
      `core ${z(room.key)} stops growing at length \\d+: room quota \\(room holds \\d+ of 8000 bytes\\)`
    )
  )
  const length = Number(/at length (\d+)/.exec(stopped)?.[1])
  await client.synced(room, length)
  t.pass('a held core still fetches every block below its length')

  // another room of the same peer, on the same connection, still grows: once it has a block
  // appended together with the full room's, the full room's would be there too were it taken
  const other = await registeredRoom(client, daemon, 'other', 1)
  await client.synced(other, 1)
  const [held] = await Promise.all([growsNoMore(daemon, room, 4), other.core.append(block(BLOCK))])
  await client.synced(other, 2)
  t.ok(held < room.core.length, 'the blind peer logs that it holds less than the peer has')
  t.ok(client.heldLength(room) < room.core.length, 'blocks appended after the quota are not taken')

  client.addCore(member, room.key)
  await daemon.waitForLine(new RegExp(`refused 1 cores .*: room quota \\(${z(member.key)}\\)`))
  t.pass('a new core of the full room is refused')

  const status = await statusOf(t, storage)
  t.ok(status.includes(`rooms over quota: ${z(room.key)}`), 'status names the room over quota')
  t.ok(/held: [1-9]\d* cores stopped growing/.test(status), 'and counts the held cores')
  t.ok(status.includes('quotas: room 8000 bytes'), 'and shows the quota')

  const served = await readFromBlindPeer(t, testnet, key, room.key, length)
  t.alike(
    served,
    Array.from({ length }, () => block(BLOCK)),
    'and serves them'
  )
})

test('the peer quota: one peer’s rooms stop, another peer’s room is kept', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { storage, daemon, key } = await daemonWith(t, testnet, ['--peer-quota', '8KB'])
  const greedy = await createBlindPeerClient(t, testnet, key)
  const first = await registeredRoom(greedy, daemon, 'first', 16)
  await daemon.waitForLine(
    new RegExp(`core ${z(first.key)} stops growing at length \\d+: peer quota`)
  )
  t.ok((await growsNoMore(daemon, first, 2)) < first.core.length, 'the peer’s room stops growing')

  const second = await registeredRoom(greedy, daemon, 'second', 1)
  await daemon.waitForLine(new RegExp(`refused 1 cores .*: peer quota \\(${z(second.key)}\\)`))
  t.pass('its next room, though registered, is refused')

  const other = await createBlindPeerClient(t, testnet, key)
  const kept = await registeredRoom(other, daemon, 'kept', 2)
  await daemon.waitForLine(new RegExp(`core added ${z(kept.key)}`))
  await other.synced(kept, 2)
  t.pass('another peer’s room is kept')

  const status = await statusOf(t, storage)
  t.ok(status.includes(`peers over quota: ${z(greedy.publicKey)}`), 'status names the peer')
})

test('the storage cap: held cores stop growing, new ones are refused', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { storage, daemon, key } = await daemonWith(t, testnet, ['--max-storage', '8KB'])
  const client = await createBlindPeerClient(t, testnet, key)
  const room = await registeredRoom(client, daemon, 'room', 16)
  await daemon.waitForLine(
    new RegExp(
      `core ${z(room.key)} stops growing at length \\d+: storage full \\(\\d+ of 8000 bytes\\)`
    )
  )
  t.ok((await growsNoMore(daemon, room, 3)) < room.core.length, 'the held core takes no more')

  const other = await createBlindPeerClient(t, testnet, key)
  const late = await registeredRoom(other, daemon, 'late', 1)
  await daemon.waitForLine(new RegExp(`refused 1 cores .*: storage full \\(${z(late.key)}\\)`))
  t.pass('a new room’s core is refused')
  t.ok((await statusOf(t, storage)).includes('(full)'), 'status says it is full')
})

test('relaying is limited per peer, not for everyone at once', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { key, daemon } = await daemonWith(t, testnet, ['--relay-per-peer', '2'])
  const [a, b, c, d] = await Promise.all([1, 2, 3, 4].map(() => createRelayAsker(t, testnet, key)))
  for (let i = 0; i < 3; i++) {
    const token = crypto.randomBytes(32)
    a.pair(true, token)
    b.pair(false, token)
  }
  // the limit line says a's third request was dropped when it came: it can never be matched
  await daemon.waitForLine(new RegExp(`relay limit: ${z(a.publicKey)} holds 2 relayed connections`))
  const token = crypto.randomBytes(32)
  c.pair(true, token)
  d.pair(false, token)
  await daemon.waitForLine(/relaying session [0-9a-f]+ \(3 active\)/)
  const relayed = daemon.stdoutLines.filter((l) => l.includes('relaying session')).length
  t.is(relayed, 3, 'a and b got two relayed connections, c and d theirs')
  t.pass('other peers are still relayed')
})
