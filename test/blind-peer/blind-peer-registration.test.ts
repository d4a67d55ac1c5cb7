import test from 'brittle'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import type { RoomManifestBody } from '../../src/core/mirrors/room-manifest.js'
import { block, createBlindPeerClient, type ClientCore } from '../helpers/blind-peer-client.js'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'
import { BLIND_PEER_BIN, runProcess, startBlindPeer } from '../helpers/processes.js'

const OPTS = { timeout: 60_000 }

const z = (key: Buffer): string => z32.encode(key)

function manifest(
  room: ClientCore,
  version: number,
  lists: Partial<Omit<RoomManifestBody, 'roomKey' | 'version'>>
): RoomManifestBody {
  return {
    roomKey: room.key,
    version,
    mirrors: [],
    admins: [room.key],
    writers: [room.key],
    cores: [],
    ...lists
  }
}

test(
  'a core of an unregistered room is refused and logged, and so is a forged manifest',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const storage = await tempDir(t)
    const daemon = await startBlindPeer(t, storage, bootstrapOf(testnet))
    const client = await createBlindPeerClient(t, testnet, daemon.key)

    const stray = await client.core('stray', [block(100)])
    const nowhere = crypto.randomBytes(32)
    client.addCore(stray, nowhere)
    await daemon.process.waitForLine(
      new RegExp(
        `refused 1 cores from ${z(client.publicKey)} for room ${z(nowhere)}: room not registered here \\(${z(stray.key)}\\)`
      )
    )
    t.pass('a core under a room nobody registered is refused, and the log says whose and why')

    const orphan = await client.core('orphan', [block(100)])
    client.addCore(orphan, null)
    await daemon.process.waitForLine(/for no room: no room referrer/)
    t.pass('a core naming no room is refused')

    // a room key is its creator's writer key: anyone else's first manifest for it is a forgery
    const forged = { ...manifest(stray, 1, { mirrors: [client.blindPeer] }), roomKey: nowhere }
    const reply = await client.putManifest(forged, stray.keyPair)
    t.absent(reply.accepted, 'a first manifest not signed by the room key is refused')
    t.is(reply.reason, 'a room registers first with its creator key')
    await daemon.process.waitForLine(/manifest refused for room .*: a room registers first/)

    await daemon.process.stop('SIGTERM')
    const status = await runProcess(t, [BLIND_PEER_BIN, 'status', '--storage', storage])
    t.ok(status.stdout.includes('cores: 0'), 'it holds no core')
    t.ok(status.stdout.includes('rooms: 0'), 'and no room registered')
    const refused = Number(/refused: (\d+) cores/.exec(status.stdout)?.[1])
    t.ok(refused >= 2, 'status counts the refusals')
  }
)

test(
  'a registered room: listed cores kept, others refused, a dropped writer held',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const storage = await tempDir(t)
    const daemon = await startBlindPeer(t, storage, bootstrapOf(testnet))
    const client = await createBlindPeerClient(t, testnet, daemon.key)
    const mirrors = [client.blindPeer]

    const room = await client.core('creator', [block(100)])
    const member = await client.core('member', [block(100)])
    const stranger = await client.core('stranger', [block(100)])
    client.addCore(room, room.key)
    await daemon.process.waitForLine(/room not registered here/)

    const first = manifest(room, 1, { mirrors, writers: [room.key, member.key] })
    t.ok((await client.putManifest(first, room.keyPair)).accepted, 'the creator registers the room')
    await daemon.process.waitForLine(new RegExp(`core added ${z(room.key)}`))
    t.pass('the core asked for before the room registered is taken once it is')

    client.addCore(member, room.key)
    await daemon.process.waitForLine(new RegExp(`core added ${z(member.key)}`))
    client.addCore(stranger, room.key)
    await daemon.process.waitForLine(
      new RegExp(`refused 1 cores .*: not in the room manifest \\(${z(stranger.key)}\\)`)
    )
    t.pass('a member’s core is kept; a core the manifest does not list is refused')

    const removed = manifest(room, 2, { mirrors, writers: [room.key] })
    t.ok((await client.putManifest(removed, room.keyPair)).accepted, 'the member is removed')
    await daemon.process.waitForLine(
      new RegExp(`core ${z(member.key)} stops growing at length \\d+: not in the room manifest`)
    )
    t.pass('the removed member’s writer stops growing')
    // the creator's core still grows over the same connection: once it has the new block, the
    // member's block, appended at once, would be there too were it still taken
    await Promise.all([member.core.append(block(100)), room.core.append(block(100))])
    await client.synced(room, 2)
    await daemon.process.waitForLine(
      new RegExp(
        `core ${z(member.key)} held at length [01]: a peer has 2 \\(not in the room manifest\\)`
      )
    )
    t.ok(
      client.heldLength(member) < 2,
      'its new block is not taken, though the blind peer knows of it'
    )

    const stale = await client.putManifest(removed, room.keyPair)
    t.absent(stale.accepted, 'a replayed manifest is refused')
    t.is(stale.version, 2, 'with the version held')
    const usurper = await client.putManifest(manifest(room, 3, { mirrors }), member.keyPair)
    t.is(usurper.reason, 'signer is not an admin of the room')

    // the room outlives its creator: an admin the creator named signs the next one alone
    const handover = manifest(room, 3, { mirrors, admins: [member.key], writers: [member.key] })
    t.ok((await client.putManifest(handover, room.keyPair)).accepted)
    const next = manifest(room, 4, { mirrors, admins: [member.key], writers: [member.key] })
    t.ok((await client.putManifest(next, member.keyPair)).accepted, 'a later admin signs on')
    t.absent(
      (await client.putManifest(manifest(room, 5, { mirrors }), room.keyPair)).accepted,
      'the creator, no longer an admin, cannot'
    )

    const dropped = manifest(room, 5, { admins: [member.key], writers: [member.key] })
    t.ok((await client.putManifest(dropped, member.keyPair)).accepted)
    await daemon.process.waitForLine(/this blind peer is no longer its mirror/)
    t.pass('a manifest without this blind peer unregisters the room')

    await daemon.process.stop('SIGTERM')
    const restarted = await startBlindPeer(t, storage, bootstrapOf(testnet))
    await restarted.process.stop('SIGTERM')
    const status = await runProcess(t, [BLIND_PEER_BIN, 'status', '--storage', storage])
    t.ok(status.stdout.includes('rooms: 0'), 'the unregistration survives a restart')
  }
)
