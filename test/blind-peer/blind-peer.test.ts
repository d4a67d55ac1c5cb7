import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import type { Test } from 'brittle'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import type { Roost } from '../../src/core/roost.js'
import {
  bootstrapOf,
  createLoopbackTestnet,
  createPeer,
  rejectsWithCode,
  tempDir,
  texts,
  until,
  type Testnet
} from '../helpers/index.js'
import { BLIND_PEER_BIN, runProcess, startBlindPeer } from '../helpers/processes.js'

const OPTS = { timeout: 120_000 }

/** A room of alice (admin, mirrored by `key`) and bob; bob's data dir is returned for reopening. */
async function mirroredRoom(t: Test, testnet: Testnet, key: string) {
  const alice = await createPeer(t, testnet, { name: 'alice' })
  const bobDir = await tempDir(t)
  const bob = await createPeer(t, testnet, { name: 'bob', dataDir: bobDir })
  const room = (await alice.createRoom({ name: 'general' })).id
  await alice.addMirror(room, key)
  await alice.flush()
  await bob.join((await alice.createInvite(room)).code as string)
  await until([bob], async () => (await bob.room(room)).writable)
  return { alice, bob, bobDir, room }
}

function mirrorSynced(peer: Roost, room: string): Promise<void> {
  return until([peer], async () => {
    const [mirror] = await peer.mirrors(room)
    return mirror !== undefined && mirror.synced && mirror.localLength > 0
  })
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true })
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name))
}

/** Files under `dir` whose bytes contain `marker` as UTF-8 or UTF-16. */
async function filesContaining(dir: string, marker: string): Promise<string[]> {
  const needles = [Buffer.from(marker, 'utf8'), Buffer.from(marker, 'utf16le')]
  const found: string[] = []
  for (const file of await filesUnder(dir)) {
    const bytes = await fs.readFile(file)
    if (needles.some((n) => bytes.includes(n))) found.push(file)
  }
  return found
}

test('catch-up from the blind peer alone, with no plaintext in its storage', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const storage = await tempDir(t)
  const daemon = await startBlindPeer(t, storage, bootstrapOf(testnet))
  t.is(
    (await fs.readFile(path.join(storage, 'key'), 'utf8')).trim(),
    daemon.key,
    'key written to DIR/key'
  )
  const { alice, bob, bobDir, room } = await mirroredRoom(t, testnet, daemon.key)

  await bob.close()
  const marker = 'MARKER' + z32.encode(crypto.randomBytes(8))
  for (let i = 0; i < 100; i++) await alice.send(room, { text: `${marker} ${i}` })
  await mirrorSynced(alice, room)
  t.pass('the blind peer holds all of alice’s writes')
  await alice.close()

  const back = await createPeer(t, testnet, { dataDir: bobDir })
  await until([back], async () => (await texts(back, room)).length === 100)
  const got = await texts(back, room)
  t.alike(
    got,
    Array.from({ length: 100 }, (_, i) => `${marker} ${i}`),
    'bob has all 100, in order, once each'
  )
  t.is((await back.status()).rooms[0].peers.length, 1, 'the only peer bob has is the blind peer')

  t.is(await daemon.process.stop('SIGTERM'), 0, 'daemon stops cleanly on SIGTERM')
  t.alike(await filesContaining(storage, marker), [], 'no plaintext under the blind peer’s storage')
  // the scan is real: it finds the marker, in either encoding, where it was written in the clear
  const control = await tempDir(t)
  await fs.writeFile(path.join(control, 'utf8'), `x${marker}x`)
  await fs.writeFile(path.join(control, 'utf16'), Buffer.from(`x${marker}x`, 'utf16le'))
  t.is((await filesContaining(control, marker)).length, 2, 'the scan finds cleartext markers')
})

test('a member who joins after the mirror was added gets their cores mirrored', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const daemon = await startBlindPeer(t, await tempDir(t), bootstrapOf(testnet))
  const { bob, room } = await mirroredRoom(t, testnet, daemon.key)
  await bob.send(room, { text: 'from a late joiner' })
  await mirrorSynced(bob, room)
  const [mirror] = await bob.mirrors(room)
  t.is(mirror.key, daemon.key)
  t.ok(mirror.reachable, 'bob reaches the blind peer himself')
  t.ok(mirror.syncedLength >= 1, 'and it holds bob’s own writer core')
})

for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
  test(`restart after ${signal}: same key, same data, catch-up still works`, OPTS, async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const storage = await tempDir(t)
    const first = await startBlindPeer(t, storage, bootstrapOf(testnet))
    const { alice, bob, bobDir, room } = await mirroredRoom(t, testnet, first.key)
    await bob.close()
    for (let i = 0; i < 20; i++) await alice.send(room, { text: `before restart ${i}` })
    await mirrorSynced(alice, room)
    const code = await first.process.stop(signal)
    t.is(code, signal === 'SIGTERM' ? 0 : null, `daemon ended by ${signal}`)

    const second = await startBlindPeer(t, storage, bootstrapOf(testnet))
    t.is(second.key, first.key, 'same key after restart')
    await alice.close()
    const back = await createPeer(t, testnet, { dataDir: bobDir })
    await until([back], async () => (await texts(back, room)).length === 20)
    t.pass('bob caught up from the restarted blind peer alone')
  })
}

test('bad keys, an unreachable mirror, a second daemon and status', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const alice = await createPeer(t, testnet, { name: 'alice' })
  const room = (await alice.createRoom({ name: 'r' })).id
  await rejectsWithCode(t, alice.addMirror(room, 'not-a-key'), 'BLIND_PEER_KEY_INVALID')
  await rejectsWithCode(t, alice.setConfig({ blindPeer: 'nope' }), 'BLIND_PEER_KEY_INVALID')
  await rejectsWithCode(
    t,
    alice.removeMirror(room, z32.encode(crypto.randomBytes(32))),
    'MIRROR_NOT_FOUND'
  )

  const defaultKey = z32.encode(crypto.randomBytes(32))
  t.is((await alice.setConfig({ blindPeer: defaultKey })).blindPeer, defaultKey)
  const later = (await alice.createRoom({ name: 'later' })).id
  t.alike(
    (await alice.mirrors(later)).map((m) => m.key),
    [defaultKey],
    'a room created after `config blind-peer` is mirrored by it'
  )
  t.alike(await alice.mirrors(room), [], 'rooms created before are not changed')

  // nobody has this key: sending and reading must not wait for it
  const nobody = z32.encode(crypto.randomBytes(32))
  await alice.addMirror(room, nobody)
  await alice.flush()
  const bob = await createPeer(t, testnet, { name: 'bob' })
  await bob.join((await alice.createInvite(room)).code as string)
  await until([bob], async () => (await bob.room(room)).writable)
  await alice.send(room, { text: 'despite the dead mirror' })
  await until([bob], async () => (await texts(bob, room)).includes('despite the dead mirror'))
  const [mirror] = await alice.mirrors(room)
  t.is(mirror.key, nobody)
  t.absent(mirror.reachable, 'the dead mirror is reported unreachable')

  const storage = await tempDir(t)
  const daemon = await startBlindPeer(t, storage, bootstrapOf(testnet))
  const second = await runProcess(t, [
    BLIND_PEER_BIN,
    '--storage',
    storage,
    '--bootstrap',
    bootstrapOf(testnet).join(','),
    '--host',
    '127.0.0.1'
  ])
  t.is(second.code, 1, 'a second daemon on the same storage exits 1')
  t.ok(second.stderr.includes('DATA_DIR_IN_USE'), 'with a clear error')
  const status = await runProcess(t, [BLIND_PEER_BIN, 'status', '--storage', storage])
  t.ok(status.stdout.includes(`key: ${daemon.key}`), 'status asks the running daemon')
  t.ok(status.stdout.includes('running: yes'))
  await daemon.process.stop('SIGTERM')
  const stopped = await runProcess(t, [BLIND_PEER_BIN, 'status', '--storage', storage])
  t.ok(stopped.stdout.includes('running: no'), 'status reads the last saved state when stopped')
  t.is((await runProcess(t, [BLIND_PEER_BIN])).code, 2, 'no --storage: usage, exit 2')
})

test(
  'the room registers itself; a removed member’s writer and a removed mirror stop',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const daemon = await startBlindPeer(t, await tempDir(t), bootstrapOf(testnet))
    const { alice, bob, room } = await mirroredRoom(t, testnet, daemon.key)
    await daemon.process.waitForLine(
      /manifest v\d+ for room .*: 1 admins, 2 writers, 3 other cores/
    )
    t.pass(
      'the admin’s manifest lists both writers and the room’s system, encryption and view cores'
    )
    await bob.send(room, { text: 'while a member' })
    await mirrorSynced(bob, room)
    t.pass('bob’s writer is kept')

    const bobWriter = z32.encode(bob.roomEngine(room).writerKey)
    const bobId = (await alice.members(room)).find((m) => m.name === 'bob')?.id as string
    await alice.removeMember(room, bobId)
    await daemon.process.waitForLine(/manifest v\d+ for room .*: 1 admins, 1 writers/)
    await daemon.process.waitForLine(
      new RegExp(`core ${bobWriter} stops growing at length \\d+: not in the room manifest`)
    )
    t.pass('once bob is removed, his writer core stops growing on the blind peer')

    await alice.removeMirror(room, daemon.key)
    await daemon.process.waitForLine(/this blind peer is no longer its mirror/)
    t.pass('removing the mirror tells the blind peer, which stops keeping the room')
  }
)

test(
  'a blind peer added after the creator stepped down is registered by proof',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const first = await startBlindPeer(t, await tempDir(t), bootstrapOf(testnet))
    const { alice, bob, room } = await mirroredRoom(t, testnet, first.key)
    const id = async (name: string) =>
      (await alice.members(room)).find((m) => m.name === name)?.id as string
    await alice.setRole(room, await id('bob'), 'admin')
    await until([bob], async () =>
      (await bob.members(room)).some((m) => m.role === 'admin' && m.name === 'bob')
    )
    await first.process.waitForLine(/manifest v\d+ for room .*: 2 admins, 2 writers/)
    await bob.setRole(room, await id('alice'), 'member')
    await until([bob], async () =>
      (await bob.members(room)).some((m) => m.role === 'member' && m.name === 'alice')
    )

    // only bob is an admin now, and the creator's key cannot sign: bob proves the room with the
    // manifests the first blind peer holds, then registers it with his own
    const second = await startBlindPeer(t, await tempDir(t), bootstrapOf(testnet))
    await bob.addMirror(room, second.key)
    await second.process.waitForLine(/manifest refused for room .*: a room registers first/)
    await second.process.waitForLine(
      /manifest v\d+ for room .*: 1 admins, 2 writers, 3 other cores/
    )
    await bob.send(room, { text: 'kept by the second blind peer' })
    await until([bob], async () => {
      const mirror = (await bob.mirrors(room)).find((m) => m.key === second.key)
      return mirror !== undefined && mirror.synced && mirror.localLength > 0
    })
    t.pass('the second blind peer keeps bob’s writes')
  }
)
