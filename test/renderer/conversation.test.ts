import test from 'brittle'
import type { Member, Message, Profile } from '../../src/shared/api/contract.js'
import { loadRenderer } from '../core/fuzz/render.js'
import { messageFixture } from '../helpers/message-fixture.js'

const ME: Profile = { id: 'me'.padEnd(52, 'e'), name: 'Ann' }
const member = (id: string, name: string, over: Partial<Member> = {}): Member => ({
  id: id.padEnd(52, 'x'),
  name,
  role: 'member',
  removed: false,
  isMe: false,
  ...over
})
const message = (id: string, over: Partial<Message> = {}): Message =>
  messageFixture({ id, author: 'them'.padEnd(52, 'o'), authorName: 'Bob', timestamp: 1, ...over })

test('the composer finds the @word being typed, completes members, and sends their ids', async (t) => {
  const { modules, cleanup } = await loadRenderer()
  t.teardown(cleanup)
  const { mentionAt, mentionCandidates, mentionedIn, isForMe } = modules.mentions
  t.alike(mentionAt('hi @bo', 6), { start: 3, query: 'bo' }, 'an @ being typed')
  t.alike(mentionAt('@', 1), { start: 0, query: '' }, 'a bare @ at the start')
  t.is(mentionAt('mail a@b', 8), null, 'not inside a word (an address)')
  t.is(mentionAt('hi @bob there', 13), null, 'not once the word is done')
  const people = [
    { id: 'b', label: 'Bob' },
    { id: 'c', label: 'Bobby' },
    { id: 'd', label: 'Dana' }
  ]
  t.alike(
    mentionCandidates(people, 'BO').map((c) => c.id),
    ['b', 'c'],
    'by the start of the name, any case'
  )
  const members = [
    member('b', 'Bob'),
    member('d', 'Dana', { removed: true }),
    member('m', 'Ann', { isMe: true })
  ]
  t.alike(
    mentionedIn('see you @bob and @Dana, @Ann', members),
    [members[0].id],
    'members named; not a removed one, not me'
  )
  t.alike(mentionedIn('no mention here', members), [])
  t.ok(isForMe(message('x', { mentions: [ME.id] }), ME), 'a mention id')
  t.ok(isForMe(message('x', { text: 'hey @ann' }), ME), 'an @name in the text')
  const mine = message('mine', { author: ME.id })
  t.ok(isForMe(message('x', { replyTo: 'mine' }), ME, [mine]), 'a reply to my loaded message')
  t.absent(isForMe(message('x', { replyTo: 'other' }), ME, [mine]), 'a reply to someone else’s')
})

test('a changed message replaces the loaded one in place, keeping sent; one not loaded stays out', async (t) => {
  const { modules, cleanup } = await loadRenderer()
  t.teardown(cleanup)
  const { withChangedMessages } = modules.timelineOps
  const timeline = {
    messages: [message('a', { seq: 0 }), message('b', { seq: 1 })],
    hasMore: false,
    loading: false,
    error: null
  }
  const edited = message('b', { seq: 1, text: 'edited', editedAt: 5, state: 'pending' })
  const next = withChangedMessages(
    timeline,
    new Map([
      ['b', edited],
      ['z', message('z')]
    ])
  )
  t.alike(
    next.messages.map((m) => [m.id, m.text, m.state]),
    [
      ['a', 'hi', 'sent'],
      ['b', 'edited', 'sent']
    ]
  )
  t.is(
    withChangedMessages(timeline, new Map([['z', message('z')]])),
    timeline,
    'nothing loaded changed: the same state'
  )
})
