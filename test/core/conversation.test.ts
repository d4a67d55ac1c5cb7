import test from 'brittle'
import z32 from 'z32'
import { sealText } from '../../src/core/epochs/epoch-crypto.js'
import { encodeOp } from '../../src/core/rooms/ops.js'
import type { Message } from '../../src/shared/api/contract.js'
import { messageJson, messageLine } from '../../src/cli/format.js'
import {
  appendRaw,
  createLoopbackTestnet,
  currentEpochKey,
  profileIdOf,
  rejectsWithCode,
  roomWithMembers,
  skippedLengthsOf,
  untilRoom
} from '../helpers/index.js'
import type { Roost } from '../../src/core/roost.js'

/** The message as each peer's API shows it now (null where it is not there). */
async function everywhere(
  peers: Roost[],
  room: string,
  id: string
): Promise<Array<Message | null>> {
  return Promise.all(
    peers.map(async (p) => {
      const { messages } = await p.messages(room, { limit: 500 })
      return messages.find((m) => m.id === id) ?? null
    })
  )
}

/** Resolves once every peer shows the message and `check` holds for each. */
function untilEverywhere(
  peers: Roost[],
  room: string,
  id: string,
  check: (m: Message) => boolean
): Promise<void> {
  return untilRoom(peers, room, async () =>
    (await everywhere(peers, room, id)).every((m) => m !== null && check(m))
  )
}

test('replies, edits, reactions, pins, mentions and deletes reach all three members', async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'carol'])
  const [alice, bob, carol] = peers
  const [aliceId, bobId, carolId] = await Promise.all(peers.map(profileIdOf))

  const first = await alice.send(room, { text: 'lunch at noon?', mentions: [bobId, bobId] })
  t.alike(first.mentions, [bobId], 'a mention, once however often it was given')
  await untilEverywhere(peers, room, first.id, () => true)
  const reply = await bob.send(room, { text: 'yes, the usual place', replyTo: first.id })
  await untilEverywhere(peers, room, reply.id, (m) => m.replyTo === first.id)
  t.pass("bob's reply names alice's message on every member")
  t.alike(
    (await everywhere(peers, room, first.id)).map((m) => m?.mentions),
    [[bobId], [bobId], [bobId]]
  )

  // carol sees the edit as an event, without reading the timeline again
  const edits: Message[] = []
  const unsubscribe = carol.onDidChangeMessage(({ message }) => {
    if (message.id === reply.id) edits.push(message)
  })
  const edited = await bob.edit(room, reply.id, { text: 'yes, the new place' })
  t.is(edited.text, 'yes, the new place')
  t.ok(edited.editedAt !== null && edited.editedAt > 0, 'marked edited')
  await untilEverywhere(
    peers,
    room,
    reply.id,
    (m) => m.text === 'yes, the new place' && m.editedAt !== null
  )
  await untilRoom([carol], room, () => edits.some((m) => m.text === 'yes, the new place'))
  unsubscribe()
  t.pass('the edit shows on every member, and came to carol as onDidChangeMessage')
  await rejectsWithCode(
    t,
    alice.edit(room, reply.id, { text: 'mine now' }),
    'NOT_AUTHOR',
    "alice edits bob's message"
  )

  await alice.react(room, first.id, '👍', true)
  await carol.react(room, first.id, '👍', true)
  await bob.react(room, first.id, '❤️', true)
  await untilEverywhere(
    peers,
    room,
    first.id,
    (m) => m.reactions['👍']?.length === 2 && m.reactions['❤️']?.length === 1
  )
  const again = await carol.react(room, first.id, '👍', true)
  t.alike(again.reactions['👍'], [aliceId, carolId], 'reacting twice with one emoji counts once')
  await alice.react(room, first.id, '👍', false)
  await untilEverywhere(peers, room, first.id, (m) => m.reactions['👍']?.length === 1)
  t.alike(
    (await everywhere(peers, room, first.id)).map((m) => m?.reactions),
    Array(3).fill({ '👍': [carolId], '❤️': [bobId] }),
    'taken back on every member: one 👍 (carol) and one ❤️ (bob)'
  )
  await rejectsWithCode(
    t,
    bob.react(room, first.id, 'ab', true),
    'INVALID_ARGUMENT',
    'two letters are no emoji'
  )
  await rejectsWithCode(
    t,
    bob.react(room, first.id, '👍👍', true),
    'INVALID_ARGUMENT',
    'two emoji are not one'
  )

  await rejectsWithCode(t, bob.pin(room, first.id, true), 'NOT_ADMIN', 'a member pins')
  await alice.pin(room, first.id, true)
  await untilRoom(peers, room, async () =>
    (await Promise.all(peers.map((p) => p.pins(room)))).every(
      (pins) => pins.length === 1 && pins[0].id === first.id
    )
  )
  t.pass('pinned on every member')
  await alice.pin(room, first.id, false)
  await untilRoom(peers, room, async () =>
    (await Promise.all(peers.map((p) => p.pins(room)))).every((pins) => pins.length === 0)
  )
  t.pass('and unpinned')
  await alice.pin(room, reply.id, true)

  await rejectsWithCode(
    t,
    carol.delete(room, first.id),
    'NOT_AUTHOR',
    "carol deletes alice's message"
  )
  const tombstone = await alice.delete(room, reply.id)
  t.ok(tombstone.deleted && tombstone.text === '', "an admin deletes bob's reply: a tombstone")
  await untilEverywhere(peers, room, reply.id, (m) => m.deleted && m.text === '' && !m.pinned)
  t.alike(
    await Promise.all(peers.map(async (p) => (await p.pins(room)).length)),
    [0, 0, 0],
    'a deleted message is no longer pinned'
  )
  await rejectsWithCode(
    t,
    bob.edit(room, reply.id, { text: 'back' }),
    'MESSAGE_DELETED',
    'an edit of a deleted message'
  )
  await rejectsWithCode(
    t,
    bob.react(room, reply.id, '👍', true),
    'MESSAGE_DELETED',
    'a reaction to a deleted message'
  )
  const line = messageLine((await everywhere([carol], room, reply.id))[0] as Message)
  t.ok(
    line.includes('(message deleted)') && !line.includes('new place'),
    'the CLI shows the tombstone'
  )
  const dto = (await everywhere([carol], room, first.id))[0] as Message
  t.alike(
    Object.keys(messageJson(dto)).sort(),
    Object.keys(dto).sort(),
    '--json lines carry every field of the message'
  )
  const around = await carol.messages(room, { around: reply.id, limit: 2 })
  t.alike(
    around.messages.map((m) => m.id),
    [first.id, reply.id],
    'a page around a message: the one before it, and it'
  )
  await rejectsWithCode(
    t,
    bob.send(room, { text: 'hm', replyTo: `${z32.encode(Buffer.alloc(32))}.7` }),
    'MESSAGE_NOT_FOUND',
    'a reply to a message not in the room'
  )
})

test('hostile changes past the API are skipped alike on every member', async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'carol'])
  const [alice, bob] = peers
  const mine = await alice.send(room, { text: 'alice wrote this' })
  const gone = await bob.send(room, { text: 'bob will delete this' })
  await bob.delete(room, gone.id)
  await untilEverywhere(peers, room, gone.id, (m) => m.deleted)

  const { epoch, key } = await currentEpochKey(bob, room)
  const sealed = sealText('rewritten by bob', key)
  const missing = `${z32.encode(Buffer.alloc(32, 7))}.3`
  const blocks = [
    encodeOp('@roost/message-edit', { id: mine.id, timestamp: 1, epoch, ...sealed }),
    encodeOp('@roost/message-edit', { id: gone.id, timestamp: 1, epoch, ...sealed }),
    encodeOp('@roost/message-react', { id: mine.id, emoji: '🙂'.repeat(2560), on: true }),
    encodeOp('@roost/message-react', { id: mine.id, emoji: 'a', on: true }),
    encodeOp('@roost/message-react', { id: mine.id, emoji: '🙂', on: false }),
    encodeOp('@roost/message-pin', { id: mine.id, on: true, timestamp: 1 }),
    encodeOp('@roost/message-delete', { id: mine.id, timestamp: 1 }),
    encodeOp('@roost/message-delete', { id: missing, timestamp: 1 }),
    encodeOp('@roost/message', {
      text: '',
      timestamp: 1,
      replyTo: missing,
      epoch,
      ...sealText('to nothing', key)
    }),
    encodeOp('@roost/message', {
      text: '',
      timestamp: 1,
      epoch,
      ...sealText('names a stranger', key),
      mentions: [Buffer.alloc(32, 9)]
    })
  ]
  const seqs = await appendRaw(bob, room, blocks)
  const marker = await bob.send(room, { text: 'after the attack' })
  await untilEverywhere(peers, room, marker.id, () => true)
  const writer = z32.encode(bob.roomEngine(room).writerKey)
  for (const [i, p] of peers.entries()) {
    const skipped = skippedLengthsOf(p, room, writer)
    t.ok(
      seqs.every((seq) => skipped.has(seq + 1)),
      `peer ${i} skipped all ${seqs.length} hostile blocks`
    )
  }
  const views = await Promise.all(peers.map((p) => everywhere([p], room, mine.id)))
  for (const [m] of views) {
    t.ok(
      m !== null &&
        m.text === 'alice wrote this' &&
        !m.deleted &&
        !m.pinned &&
        Object.keys(m.reactions).length === 0,
      "alice's message as she wrote it"
    )
  }
  const texts = await Promise.all(
    peers.map(async (p) => (await p.messages(room)).messages.map((m) => m.text))
  )
  t.ok(
    texts.every((list) => !list.includes('to nothing') && !list.includes('names a stranger')),
    'no reply to nothing, no mention of a stranger'
  )
  t.alike(texts[1], texts[0])
  t.alike(texts[2], texts[0])
})
