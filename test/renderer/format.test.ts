import test, { type Test } from 'brittle'
import type { Invite, Message, Profile, Room } from '../../src/shared/api/contract.js'
import { inviteLine, messageJson, messageLine, UNKNOWN_TIME } from '../../src/cli/format.js'
import { loadRenderer, type RendererModules } from '../core/fuzz/render.js'
import { messageFixture } from '../helpers/message-fixture.js'

/** Every value a view or a hostile peer's record can put where a time goes. */
const TIMES: unknown[] = [
  0,
  1,
  Date.UTC(2026, 0, 2, 10),
  8.64e15,
  8.64e15 + 1,
  8.7e15,
  2 ** 53 - 1,
  2 ** 64,
  -1,
  -8.64e15 - 1,
  NaN,
  Infinity,
  -Infinity,
  1.5,
  '2026-01-02',
  null,
  undefined
]
const VALID = new Set<unknown>([0, 1, Date.UTC(2026, 0, 2, 10), 8.64e15, 1.5, -1])

const ME: Profile = { id: 'me'.padEnd(52, 'y'), name: 'Me' }
const THEM = 'th'.padEnd(52, 'o')

function message(timestamp: unknown, over: Partial<Message> = {}): Message {
  return messageFixture({
    id: `${THEM}.1`,
    author: THEM,
    authorName: 'Mallory\u202e',
    text: 'hi \u202egnp.exe',
    timestamp: timestamp as number,
    ...over
  })
}

async function renderer(t: Test): Promise<RendererModules> {
  const { modules, cleanup } = await loadRenderer()
  t.teardown(cleanup)
  return modules
}

test('CLI formatter: any timestamp formats, an invalid one as a placeholder', async (t) => {
  for (const ts of TIMES) {
    const line = messageLine(message(ts))
    const valid = VALID.has(ts)
    t.is(line.startsWith(`[${UNKNOWN_TIME}]`), !valid, `messageLine(${String(ts)})`)
    t.absent(/[\u202e]/.test(line), 'no bidi override reaches the terminal')
    t.is(JSON.stringify(messageJson(message(ts))).length > 0, true, 'messageJson')
    const invite: Invite = {
      id: 'inv',
      code: null,
      link: null,
      note: null,
      expiresAt: ts as number,
      uses: 3,
      usesLeft: 1,
      revoked: false,
      state: 'active',
      forProfile: null
    }
    const expected = ts === null ? 'never expires' : valid ? 'expires ' : UNKNOWN_TIME
    t.ok(inviteLine(invite).includes(expected), `inviteLine(${String(ts)})`)
  }
  t.is(messageLine(message(8.7e15)), `[${UNKNOWN_TIME}] Mallory: hi gnp.exe`)
  t.is(messageLine(message(Date.UTC(2026, 0, 2, 10))).slice(0, 21), '[2026-01-02 10:00:00]')
})

test('renderer formatters never throw and show placeholders for invalid times', async (t) => {
  const { format } = await renderer(t)
  for (const ts of TIMES) {
    for (const name of ['formatTime', 'formatDay', 'formatShort', 'formatDateTime']) {
      const out = format[name](ts)
      t.is(typeof out, 'string', `${name}(${String(ts)})`)
      t.absent(String(out).includes('Invalid'), `${name}(${String(ts)}) is no "Invalid Date"`)
    }
    t.is(format.isoDateTime(ts) === undefined, !VALID.has(ts), `isoDateTime(${String(ts)})`)
  }
  t.is(format.formatKiB(NaN), '? KiB')
  t.is(format.formatKiB(2048), '2 KiB')
  t.is(format.sameDay(8.7e15, NaN), true, 'two unknown days are one day')
  t.is(format.sameDay(8.7e15, 0), false)
})

test('MessageRow renders any message a view can hold, with the timeline props', async (t) => {
  const { renderRow } = await renderer(t)
  const names = new Map([[THEM, 'Mallory']])
  const messages = TIMES.map((ts, i) => message(ts, { id: `${THEM}.${i}`, seq: i }))
  messages.push(message(8.7e15, { author: ME.id, state: 'pending', text: '@Me '.repeat(5000) }))
  messages.push(message(0, { authorName: '', text: '', replyTo: 'x'.repeat(10_000) }))
  for (let i = 0; i < messages.length; i++) {
    const html = renderRow(messages, i, ME, names)
    t.ok(html.includes('data-testid="message"'), `row ${i} (${String(messages[i].timestamp)})`)
    t.absent(html.includes('Invalid Date'), 'no "Invalid Date" shows')
  }
  const bad = renderRow([message(8.7e15)], 0, ME, names)
  t.absent(bad.includes('dateTime='), 'an invalid time gets no dateTime attribute')
  t.ok(bad.includes('Unknown date'), 'the day separator says the date is unknown')
})

test('a tripped boundary shows its placeholder; panels render hostile values', async (t) => {
  const { render, renderTripped, element } = await renderer(t)
  const row = renderTripped({
    name: 'message row',
    children: 'never shown',
    fallback: () => element('BrokenMessageRow', { id: 'x.1' })
  })
  t.ok(row.includes('This message could not be shown'), 'a row shows the small placeholder')
  t.absent(row.includes('never shown'), 'and not its children')
  const panel = renderTripped({
    name: 'sidebar',
    children: 'never shown',
    fallback: (_e: Error, retry: () => void) =>
      element('PanelError', { className: 'sidebar', what: 'The room list', retry })
  })
  t.ok(panel.includes('class="sidebar panel-error"'), 'a panel keeps its place in the layout')
  t.ok(panel.includes('The room list could not be shown.'), 'and says what is missing')
  const root = renderTripped({ children: 'never shown' })
  t.ok(root.includes('Something went wrong'), 'the root boundary still covers the window')

  const room: Room = {
    id: 'room',
    name: 'general',
    topic: '',
    role: 'member',
    writable: true,
    memberCount: 2,
    messageCount: 1,
    unread: 0,
    lastMessage: message(8.7e15),
    connection: { peers: 0, direct: 0, relayed: 0, blindPeers: 0, relays: [], trouble: null },
    syncing: null,
    notify: 'all',
    mirrorFileCap: 0,
    autoDownload: false,
    unlinked: false
  }
  const item = render('RoomItem', { room, active: false, myId: ME.id, lastAuthor: 'M' })
  t.ok(item.includes('room-item-time'), 'the sidebar shows a room whose last message has 8.7e15')
  const invites = render('InviteList', {
    invites: [8.7e15, NaN, 0].map((expiresAt, i) => ({
      id: `invite${i}`,
      expiresAt,
      uses: 2 ** 53 - 1,
      usesLeft: 2 ** 53 - 1,
      revoked: false,
      state: 'active',
      forProfile: null
    })),
    canRevoke: true,
    onRevoke: () => {}
  })
  t.absent(invites.includes('Invalid Date'), 'invites with invalid expiries render')
  t.ok(
    render('RoomHeader', {
      room,
      syncing: false,
      membersOpen: false,
      onToggleMembers: () => {},
      onInvite: () => {}
    }).includes('general'),
    'the header renders'
  )
})
