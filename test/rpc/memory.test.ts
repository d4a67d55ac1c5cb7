import test from 'brittle'
import { RoostError } from '../../src/shared/api/errors.js'
import { connectApi, createMemoryTransportPair, serveApi } from '../../src/shared/rpc/index.js'
import { createPeer } from '../helpers/index.js'
import { everyMethodAndEvent } from './scenarios.js'
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
    await everyMethodAndEvent(t, async (t, core) => serve(t, core).api)
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
