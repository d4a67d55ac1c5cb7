import type { Test } from 'brittle'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import { API_METHODS } from '../../src/shared/api/contract.js'
import type { Roost } from '../../src/core/roost.js'
import type { RemoteApi } from '../../src/shared/rpc/connect-api.js'
import { createLoopbackTestnet, createPeer, tempDir, until } from '../helpers/index.js'

export type Connect = (t: Test, core: Roost) => Promise<RemoteApi>

/** Calls every RoostApi method and waits for every event over `connect`'s transport. */
export async function everyMethodAndEvent(t: Test, connect: Connect): Promise<void> {
  const testnet = await createLoopbackTestnet(t)
  const aliceCore = await createPeer(t, testnet)
  const bobCore = await createPeer(t, testnet)
  const alice = await connect(t, aliceCore)
  const bob = await connect(t, bobCore)
  const called = new Set<string>()
  const track = <T>(name: string, p: Promise<T>) => {
    called.add(name)
    return p
  }

  t.is(await track('profile', alice.profile()), null)
  const profile = await track('init', alice.init({ name: 'alice' }))
  t.is((await track('phrase', alice.phrase())).split(' ').length, 24, 'the recovery phrase')
  t.is((await track('setName', alice.setName('Alice'))).name, 'Alice')
  await bob.init({ name: 'bob' })
  const roomChanges: string[] = []
  alice.onDidChangeRooms(({ room }) => roomChanges.push(room))
  const room = await track('createRoom', alice.createRoom({ name: 'general' }))
  t.is((await track('rooms', alice.rooms())).length, 1)
  t.is((await track('room', alice.room(room.id))).name, 'general')
  t.is(await track('resolveRoom', alice.resolveRoom('general')), room.id)
  t.is((await track('setRoomInfo', alice.setRoomInfo(room.id, { topic: 'chat' }))).topic, 'chat')
  t.is((await track('setRoomNotify', alice.setRoomNotify(room.id, 'mentions'))).notify, 'mentions')
  await aliceCore.flush()

  const invite = await track('createInvite', alice.createInvite(room.id, { uses: 2 }))
  t.is((await track('invites', alice.invites(room.id))).length, 1)
  const received: string[] = []
  const receivedOverRpc = new Promise<void>((resolve) =>
    alice.onDidReceiveMessage(({ message }) => {
      received.push(message.text)
      if (message.text === 'over rpc') resolve()
    })
  )
  const states: string[] = []
  bob.onDidChangeMessageState(({ state }) => states.push(state))
  let memberEvents = 0
  alice.onDidChangeMembers(() => memberEvents++)
  let connectionEvents = 0
  alice.onDidChangeConnection(() => connectionEvents++)

  await track('join', bob.join(invite.code as string))
  await until([bobCore], async () => (await bob.room(room.id)).writable)
  const sent = await track('send', bob.send(room.id, { text: 'over rpc' }))
  t.is((await track('waitSent', bob.waitSent(room.id, sent.id))).state, 'sent')
  await receivedOverRpc
  t.ok(states.includes('sent'), 'message state event crossed the transport')
  t.ok(memberEvents > 0, 'members event crossed the transport')
  t.ok(connectionEvents > 0, 'connection event crossed the transport')
  t.ok(roomChanges.includes(room.id), 'rooms event crossed the transport')

  // files: staged in chunks (as a browser does), sent, listed, downloaded, with their events
  const bytes = crypto.randomBytes(100_000)
  const progress = new Promise<void>((resolve) =>
    bob.onDidProgressSend(({ upload }) => {
      if (upload === 'rpc') resolve()
    })
  )
  const first = await track(
    'stageUpload',
    bob.stageUpload({ data: bytes.subarray(0, 60_000).toString('base64') })
  )
  const staged = await bob.stageUpload({
    staged: first.staged,
    data: bytes.subarray(60_000).toString('base64')
  })
  t.is(staged.bytes, bytes.length)
  const fileMessage = await track(
    'sendFile',
    bob.sendFile(room.id, { staged: staged.staged, name: 'over rpc.bin', upload: 'rpc' })
  )
  await progress
  t.pass('send progress event crossed the transport')
  t.is(await track('cancelSend', bob.cancelSend(room.id, 'rpc')), false, 'too late: it is sent')
  await until([aliceCore], async () => (await alice.files(room.id)).length === 1)
  t.is((await track('files', alice.files(room.id)))[0].file.name, 'over rpc.bin')
  t.is((await track('fileTransfer', alice.fileTransfer(room.id, fileMessage.id))).state, 'remote')
  const transferEvent = new Promise<void>((resolve) =>
    alice.onDidChangeFileTransfer(({ transfer }) => {
      if (transfer.message === fileMessage.id) resolve()
    })
  )
  const out = await tempDir(t)
  const done = await track('download', alice.download(room.id, fileMessage.id, { out }))
  t.is(done.state, 'done')
  await transferEvent
  t.pass('file transfer event crossed the transport')
  t.is((await track('cancelDownload', alice.cancelDownload(room.id, fileMessage.id))).state, 'done')
  t.ok((await track('setRoomAutoDownload', alice.setRoomAutoDownload(room.id, true))).autoDownload)

  t.alike(
    (await track('messages', alice.messages(room.id))).messages.map((m) => [m.text, m.file?.name]),
    [
      ['over rpc', undefined],
      ['', 'over rpc.bin']
    ]
  )
  await track('markRead', alice.markRead(room.id, sent.id))
  const changed = new Promise<string>((resolve) =>
    alice.onDidChangeMessage(({ message }) => {
      if (message.id === sent.id && message.editedAt !== null) resolve(message.text)
    })
  )
  t.is((await track('edit', bob.edit(room.id, sent.id, { text: 'edited' }))).text, 'edited')
  t.is(await changed, 'edited', 'message change event crossed the transport')
  const found = await track('search', alice.search('edited', { room: room.id }))
  t.alike(
    found.map((m) => m.id),
    [sent.id],
    'search crossed the transport'
  )
  t.alike((await track('react', bob.react(room.id, sent.id, '👍', true))).reactions['👍'].length, 1)
  t.ok((await track('pin', alice.pin(room.id, sent.id, true))).pinned)
  t.is((await track('pins', alice.pins(room.id))).length, 1)
  t.ok((await track('delete', alice.delete(room.id, sent.id))).deleted)
  const members = await track('members', alice.members(room.id))
  const bobId = members.find((m) => m.name === 'bob')?.id as string
  await track('setRole', alice.setRole(room.id, bobId, 'admin'))
  await track('setRole', alice.setRole(room.id, bobId, 'member'))
  await track('revokeInvite', alice.revokeInvite(room.id, invite.id))
  await track('removeMember', alice.removeMember(room.id, bobId))
  t.ok((await alice.members(room.id)).find((m) => m.id === bobId)?.removed, 'bob removed')
  const roster = await track('rosterChanges', alice.rosterChanges(room.id))
  t.alike(
    roster.filter((c) => c.subject === bobId).map((c) => c.kind),
    ['joined', 'role', 'role', 'removed'],
    'roster changes crossed the transport'
  )
  const deadMirror = z32.encode(crypto.randomBytes(32))
  const mirrorEvent = new Promise<void>((resolve) => alice.onDidChangeMirrors(() => resolve()))
  t.is((await track('addMirror', alice.addMirror(room.id, deadMirror)))[0].key, deadMirror)
  t.is((await track('mirrors', alice.mirrors(room.id))).length, 1)
  t.is((await track('removeMirror', alice.removeMirror(room.id, deadMirror))).length, 0)
  await mirrorEvent
  t.pass('mirrors event crossed the transport')
  t.is((await track('config', alice.config())).blindPeer, null)
  t.is((await track('setConfig', alice.setConfig({ blindPeer: deadMirror }))).blindPeer, deadMirror)
  t.is((await track('status', alice.status())).profile?.id, profile.id)
  const devices = await track('devices', alice.devices())
  t.ok(devices.length === 1 && devices[0].current, 'the devices crossed the transport')
  const link = await track('linkDevice', alice.linkDevice({ expiresInMs: 60_000 }))
  t.ok(link.code.startsWith('roost://link/'), 'a link code crossed the transport')
  await t.exception(
    track('unlinkDevice', alice.unlinkDevice(z32.encode(crypto.randomBytes(32)))),
    /No device/,
    'unlinkDevice answers DEVICE_NOT_FOUND over the transport'
  )
  await track('leaveRoom', alice.leaveRoom(room.id))
  t.is((await alice.rooms()).length, 0)

  t.alike(
    [...API_METHODS].filter((m) => !called.has(m)),
    [],
    'every API method was called over the transport'
  )
}
