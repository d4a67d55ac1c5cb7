import test from 'brittle'
import type { Message, RosterChange } from '../../src/shared/api/contract.js'
import { loadRenderer } from '../core/fuzz/render.js'
import { messageFixture } from '../helpers/message-fixture.js'

function message(id: string, seq: number): Message {
  return messageFixture({ id, author: 'ann', text: id, timestamp: 1_767_000_000_000 + seq, seq })
}

function change(id: string, position: number, extra: Partial<RosterChange> = {}): RosterChange {
  return {
    id,
    room: 'room',
    kind: 'joined',
    actor: 'ann',
    actorName: 'Ann',
    subject: 'bob',
    subjectName: 'Bob',
    name: 'Bob',
    previous: null,
    role: null,
    timestamp: 0,
    position,
    ...extra
  }
}

test('roster lines sit above the first loaded message at or after their position, the rest after the newest', async (t) => {
  const { modules, cleanup } = await loadRenderer()
  t.teardown(cleanup)
  // seq 5 is a message this device cannot read: the line placed before it goes above seq 6
  const messages = [message('m3', 3), message('m4', 4), message('m6', 6)]
  const lines = [change('c7', 7), change('c3', 3), change('c5', 5), change('c6', 6)]
  const { above, after } = modules.placeRosterLines(messages, lines)
  t.alike(
    [...above].map(([id, list]) => [id, list.map((c) => c.id)]),
    [
      ['m3', ['c3']],
      ['m6', ['c5', 'c6']]
    ]
  )
  t.alike(
    after.map((c) => c.id),
    ['c7'],
    'a line after the newest message goes below it'
  )
  t.alike(
    modules.placeRosterLines([], lines).after.map((c) => c.id),
    ['c3', 'c5', 'c6', 'c7'],
    'a room with no message yet shows them all, in order'
  )
})

test('a roster line says what happened with the names as they are now, each name isolated', async (t) => {
  const { modules, cleanup } = await loadRenderer()
  t.teardown(cleanup)
  const names = new Map([
    ['ann', 'Ann'],
    ['bob', 'Robert']
  ])
  const text = (c: RosterChange): string =>
    modules
      .render('RosterLine', { change: c, names })
      .replace(/<time[^>]*>.*<\/time>/, '')
      .replace(/<[^>]+>/g, '')
  t.is(text(change('a', 0)), 'Robert joined')
  t.is(text(change('b', 0, { kind: 'removed' })), 'Ann removed Robert')
  t.is(text(change('c', 0, { kind: 'role', role: 'admin' })), 'Ann made Robert an admin')
  t.is(
    text(change('d', 0, { kind: 'renamed', actor: 'bob', name: 'Robert', previous: 'Bob' })),
    'Bob is now called Robert',
    'a rename keeps both names of its time'
  )
  t.is(text(change('e', 0, { kind: 'topic', subject: null, name: '' })), 'Ann cleared the topic')
  const arabic = modules.render('RosterLine', {
    change: change('f', 0, { kind: 'room-renamed', subject: null, name: 'غرفة' }),
    names
  })
  t.ok(arabic.includes('<bdi>غرفة</bdi>'), 'a right-to-left name is isolated')
  t.ok(
    modules
      .render('RosterLine', { change: change('g', 0, { timestamp: 1_767_000_000_000 }), names })
      .includes('dateTime='),
    'a line with a time shows it'
  )
  t.is(
    modules.render('RosterLine', {
      change: change('h', 0, { kind: 'from-a-newer-version' as RosterChange['kind'] }),
      names
    }),
    '',
    'a kind this version does not know shows nothing rather than throwing'
  )
})
