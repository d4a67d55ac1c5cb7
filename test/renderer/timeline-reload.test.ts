import test from 'brittle'
import type { Message } from '../../src/shared/api/contract.js'
import { loadRenderer, type TimelineOf } from '../core/fuzz/render.js'
import { messageFixture } from '../helpers/message-fixture.js'

function message(id: string, seq: number, state: Message['state'] = 'sent'): Message {
  return messageFixture({ id, text: id, timestamp: 1_767_000_000_000 + seq, state, seq })
}

function timeline(messages: Message[]): TimelineOf {
  return { messages, hasMore: false, loading: false, error: null }
}

test('a reloaded timeline takes the new positions, keeps sent states and what arrived meanwhile', async (t) => {
  const { modules, cleanup } = await loadRenderer()
  t.teardown(cleanup)
  const { withReloaded } = modules.timelineOps

  // b1 and b2 were shown after a1; the room's order now puts a2 (new) and a1 before them
  const shown = [message('a1', 0), message('b1', 1), message('b2', 2, 'pending')]
  const loadedBefore = new Set(shown.map((m) => m.id))
  const arrivedMeanwhile = message('c1', 9)
  const current = timeline([...shown, arrivedMeanwhile])
  const page = {
    messages: [message('a1', 0), message('a2', 1), message('b1', 2), message('b2', 3, 'pending')],
    hasMore: false
  }
  const next = withReloaded(current, page, loadedBefore, (id) => id === 'b2')
  t.alike(
    next.messages.map((m) => `${m.id}@${m.seq}`),
    ['a1@0', 'a2@1', 'b1@2', 'b2@3', 'c1@9'],
    'the order read again, and the message that arrived while it was read'
  )
  t.is(next.messages.find((m) => m.id === 'b2')?.state, 'sent', 'a sent message stays sent')

  // a message the rewrite dropped goes; whether older ones exist is the page's word
  const gone = withReloaded(
    timeline(shown),
    { messages: [message('a1', 0, 'pending')], hasMore: false },
    loadedBefore,
    () => false
  )
  t.alike(
    gone.messages.map((m) => m.id),
    ['a1'],
    'a message no longer in the room is dropped'
  )
  t.is(gone.hasMore, false, 'nothing older to scroll back to')
  const older = withReloaded(current, { ...page, hasMore: true }, loadedBefore, () => false)
  t.is(older.hasMore, true, 'older messages left out of the read can be scrolled back to')
  t.is(gone.messages[0].state, 'sent', 'state never goes back from sent')
})
