import test from 'brittle'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import { API_METHODS } from '../../src/shared/api/contract.js'
import { RoostError } from '../../src/shared/api/errors.js'
import { connectApi, createMemoryTransportPair, serveApi } from '../../src/shared/rpc/index.js'
import { createLoopbackTestnet, createPeer, until } from '../helpers/index.js'
import type { Test } from 'brittle'
import type { Roost } from '../../src/core/roost.js'

function serve(t: Test, core: Roost) {
  const [server, client] = createMemoryTransportPair()
  serveApi(core, server)
  const api = connectApi(client)
  t.teardown(() => api.close(), { order: -1 })
  return { api, server, client }
}

test(
  'rpc: the API works the same over the memory transport, events included',
  { timeout: 60_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const aliceCore = await createPeer(t, testnet)
    const bobCore = await createPeer(t, testnet)
    const alice = serve(t, aliceCore).api
    const bob = serve(t, bobCore).api
    const called = new Set<string>()
    const track = <T>(name: string, p: Promise<T>) => {
      called.add(name)
      return p
    }

    t.is(await track('profile', alice.profile()), null)
    const profile = await track('init', alice.init({ name: 'alice' }))
    t.is((await track('setName', alice.setName('Alice'))).name, 'Alice')
    await bob.init({ name: 'bob' })
    const roomChanges: string[] = []
    alice.onDidChangeRooms(({ room }) => roomChanges.push(room))
    const room = await track('createRoom', alice.createRoom({ name: 'general' }))
    t.is((await track('rooms', alice.rooms())).length, 1)
    t.is((await track('room', alice.room(room.id))).name, 'general')
    t.is(await track('resolveRoom', alice.resolveRoom('general')), room.id)
    t.is((await track('setRoomInfo', alice.setRoomInfo(room.id, { topic: 'chat' }))).topic, 'chat')
    t.is(
      (await track('setRoomNotify', alice.setRoomNotify(room.id, 'mentions'))).notify,
      'mentions'
    )
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

    t.is((await track('messages', alice.messages(room.id))).messages.at(-1)?.text, 'over rpc')
    await track('markRead', alice.markRead(room.id, sent.id))
    const members = await track('members', alice.members(room.id))
    const bobId = members.find((m) => m.name === 'bob')?.id as string
    await track('setRole', alice.setRole(room.id, bobId, 'admin'))
    await track('setRole', alice.setRole(room.id, bobId, 'member'))
    await track('revokeInvite', alice.revokeInvite(room.id, invite.id))
    await track('removeMember', alice.removeMember(room.id, bobId))
    t.ok((await alice.members(room.id)).find((m) => m.id === bobId)?.removed, 'bob removed')
    const deadMirror = z32.encode(crypto.randomBytes(32))
    const mirrorEvent = new Promise<void>((resolve) => alice.onDidChangeMirrors(() => resolve()))
    t.is((await track('addMirror', alice.addMirror(room.id, deadMirror)))[0].key, deadMirror)
    t.is((await track('mirrors', alice.mirrors(room.id))).length, 1)
    t.is((await track('removeMirror', alice.removeMirror(room.id, deadMirror))).length, 0)
    await mirrorEvent
    t.pass('mirrors event crossed the transport')
    t.is((await track('config', alice.config())).blindPeer, null)
    t.is(
      (await track('setConfig', alice.setConfig({ blindPeer: deadMirror }))).blindPeer,
      deadMirror
    )
    t.is((await track('status', alice.status())).profile?.id, profile.id)
    await track('leaveRoom', alice.leaveRoom(room.id))
    t.is((await alice.rooms()).length, 0)

    t.alike(
      [...API_METHODS].filter((m) => !called.has(m)),
      [],
      'every API method was called over the transport'
    )
  }
)

test(
  'rpc: errors keep their codes; malformed frames are refused without harm',
  { timeout: 30_000 },
  async (t) => {
    const core = await createPeer(t, null, { name: 'zed' })
    const { api, client } = serve(t, core)
    try {
      await api.messages('no-such-room')
      t.fail('should throw')
    } catch (err) {
      t.ok(err instanceof RoostError, 'rebuilt as RoostError')
      t.is((err as RoostError).code, 'ROOM_NOT_FOUND')
    }
    try {
      await api.send((await api.createRoom({ name: 'r' })).id, { text: 'x'.repeat(70_000) })
      t.fail('should throw')
    } catch (err) {
      t.is((err as RoostError).code, 'MESSAGE_TOO_LARGE')
    }
    const replies: string[] = []
    const threeReplies = new Promise<void>((resolve) =>
      client.onMessage((frame) => {
        replies.push(frame)
        if (replies.length === 3) resolve()
      })
    )
    client.send('not json')
    client.send('[]')
    client.send(JSON.stringify({ id: 'x', method: 'rooms', params: [] }))
    client.send(JSON.stringify({ id: 7, method: 'dropDatabase', params: [] }))
    client.send(JSON.stringify({ id: 8, method: 'rooms', params: 'nope' }))
    client.send(JSON.stringify({ id: 9, method: 'send', params: [42, null] }))
    client.send('x'.repeat(2 * 1024 * 1024))
    await threeReplies
    const byId = new Map(
      replies
        .map((r) => JSON.parse(r))
        .filter((r) => 'id' in r)
        .map((r) => [r.id, r])
    )
    t.is(byId.get(7)?.error.code, 'RPC_UNKNOWN_METHOD')
    t.is(byId.get(8)?.error.code, 'RPC_INVALID_FRAME')
    t.is(byId.get(9)?.error.code, 'INVALID_ARGUMENT')
    t.is((await api.rooms()).length, 1, 'the core still answers')
  }
)
