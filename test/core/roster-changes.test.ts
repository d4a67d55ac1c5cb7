import test from 'brittle'
import type { Roost } from '../../src/core/roost.js'
import type { RosterChange } from '../../src/shared/api/contract.js'
import {
  createLoopbackTestnet,
  profileIdOf,
  rejectsWithCode,
  roomWithMembers,
  until
} from '../helpers/index.js'

/** What each line says, as a reader would check it: kind, actor, subject, name, previous, role. */
function lines(changes: RosterChange[]): string[] {
  return changes.map((c) =>
    [c.kind, c.actorName, c.subjectName ?? '-', c.name, c.previous ?? '-', c.role ?? '-'].join(' ')
  )
}

async function untilChanges(peers: Roost[], room: string, count: number): Promise<void> {
  await until(peers, async () => {
    for (const peer of peers) if ((await peer.rosterChanges(room)).length < count) return false
    return true
  })
}

test('roster changes: joins, a rename, a role change, room name and topic, a removal and a leave are timeline lines every member reads alike, placed among the messages', async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'carol'])
  const [alice, bob, carol] = peers
  const bobId = await profileIdOf(bob)
  const carolId = await profileIdOf(carol)

  await untilChanges(peers, room, 3)
  await alice.send(room, { text: 'hello' })
  await alice.send(room, { text: 'second' })
  await until(peers, async () => {
    for (const p of peers) if ((await p.room(room)).messageCount < 2) return false
    return true
  })

  const before = Date.now()
  await bob.setName('Robert')
  await untilChanges([alice], room, 4)
  await alice.setRole(room, bobId, 'admin')
  await alice.setRoomInfo(room, { name: 'team', topic: 'plans' })
  await untilChanges([bob], room, 7) // bob is an admin as far as he knows
  await bob.removeMember(room, carolId)
  await untilChanges([alice, bob], room, 8)
  await bob.leaveRoom(room)
  await untilChanges([alice], room, 9)

  const changes = await alice.rosterChanges(room)
  t.alike(
    lines(changes),
    [
      'created alice alice alice - -',
      'joined alice Robert bob - -',
      'joined alice carol carol - -',
      'renamed Robert Robert Robert bob -',
      'role alice Robert Robert - admin',
      'room-renamed alice - team general -',
      'topic alice - plans - -',
      'removed Robert carol carol - -',
      'left Robert Robert Robert - -'
    ],
    'each change once, in order, with who did it to whom (names as they are now)'
  )
  t.alike(
    changes.map((c) => c.position),
    [0, 0, 0, 2, 2, 2, 2, 2, 2],
    'the joins sit above the first message, the rest after the second'
  )
  t.is(new Set(changes.map((c) => c.id)).size, changes.length, 'each with its own id')
  const stamped = changes.slice(3)
  t.ok(
    stamped.every((c) => c.timestamp >= before && c.timestamp <= Date.now()),
    'changes made now carry the time they were made'
  )

  await untilChanges([carol], room, 8)
  const carolSees = await carol.rosterChanges(room)
  t.alike(
    carolSees.slice(0, 8).map((c) => c.id),
    changes.slice(0, 8).map((c) => c.id),
    'the removed member still reads the lines up to her removal, the same ids'
  )
  t.is(carolSees[7].kind, 'removed', 'her own removal among them')

  const fromSecond = await alice.rosterChanges(room, { from: 1 })
  t.is(fromSecond.length, 6, 'from: only the lines at or after a message position')
  const newest = await alice.rosterChanges(room, { limit: 2 })
  t.alike(
    newest.map((c) => c.kind),
    ['removed', 'left'],
    'limit: the newest ones, oldest first'
  )
  await rejectsWithCode(t, alice.rosterChanges(room, { from: -1 }), 'INVALID_ARGUMENT')
  await rejectsWithCode(t, alice.rosterChanges(room, { limit: 0 }), 'INVALID_ARGUMENT')
})
