import path from 'path'
import test from 'brittle'
import { tempDir } from '../helpers/index.js'
import { ROOST_BIN, runRoost, startBootstrapNode, startProcess } from '../helpers/processes.js'

test(
  'roost CLI: reply, edit, react, pin, pins and delete as real processes, seen by the other member',
  { timeout: 150_000 },
  async (t) => {
    const bootstrap = await startBootstrapNode(t)
    const dir = await tempDir(t)
    const net = ['--bootstrap', bootstrap, '--host', '127.0.0.1']
    const alice = ['--data', path.join(dir, 'alice'), ...net]
    const bob = ['--data', path.join(dir, 'bob'), ...net]
    const run = async (args: string[], what: string, code = 0) => {
      const done = await runRoost(t, args)
      t.is(done.code, code, what + (done.code === code ? '' : ': ' + done.stderr))
      return done
    }
    const json = async (args: string[], what: string) =>
      (await run(['--json', ...args], what)).lines.map((l) => JSON.parse(l))

    await run([...alice, 'init', '--name', 'alice'], 'alice init')
    await run([...bob, 'init', '--name', 'bob'], 'bob init')
    await run([...alice, 'create', 'crew'], 'create')
    const aliceServe = startProcess(t, [ROOST_BIN, ...alice, '--json', 'serve'])
    await aliceServe.waitForLine(/"ready":true/)
    const [code] = (await run([...alice, 'invite', 'crew'], 'invite')).lines
    await run([...bob, 'join', code, '--timeout', '30s'], 'bob joins')
    const bobServe = startProcess(t, [ROOST_BIN, ...bob, '--json', 'serve'])
    await bobServe.waitForLine(/"ready":true/)

    const tail = startProcess(t, [ROOST_BIN, ...alice, '--json', 'tail', 'crew'])
    await tail.waitForLine(/tailing/)
    const bobTail = startProcess(t, [ROOST_BIN, ...bob, '--json', 'tail', 'crew'])
    await bobTail.waitForLine(/tailing/)
    const [first] = await json([...alice, 'send', 'crew', 'standup at ten?'], 'alice sends')
    t.is(first.text, 'standup at ten?', 'send --json prints the message')
    const sentId = (await run([...alice, 'send', 'crew', 'or eleven'], 'a second send')).lines[0]
    t.ok(/^[a-z0-9]+\.\d+$/.test(sentId), 'send prints the new id: ' + sentId)

    await bobTail.waitForLine(/standup at ten/)
    const [reply] = await json([...bob, 'reply', 'crew', first.id, 'ten works'], 'bob replies')
    t.is(reply.replyTo, first.id, 'the reply names the message')
    const [edited] = await json([...bob, 'edit', 'crew', reply.id, 'ten works for me'], 'edit')
    t.ok(edited.editedAt > 0 && edited.text === 'ten works for me', 'edited')
    await tail.waitForLine(/ten works for me/)
    t.pass("alice's tail prints bob's edit as it happens")

    const notMine = await run([...alice, 'edit', 'crew', reply.id, 'hijack'], 'edit not mine', 1)
    t.ok(notMine.stderr.includes('NOT_AUTHOR'), 'editing his message is NOT_AUTHOR')
    const [reacted] = await json([...bob, 'react', 'crew', first.id, '👍'], 'react')
    t.is(reacted.reactions['👍'].length, 1, 'a reaction')
    const bad = await run([...bob, 'react', 'crew', first.id, 'lol'], 'a word is no emoji', 1)
    t.ok(bad.stderr.includes('INVALID_ARGUMENT'), 'INVALID_ARGUMENT')
    const [unreacted] = await json([...bob, 'react', 'crew', first.id, '👍', '--remove'], 'unreact')
    t.alike(unreacted.reactions, {}, 'taken back')

    const memberPin = await run([...bob, 'pin', 'crew', first.id], 'a member pins', 1)
    t.ok(memberPin.stderr.includes('NOT_ADMIN'), 'NOT_ADMIN')
    await run([...alice, 'pin', 'crew', first.id], 'alice pins')
    await bobTail.waitForLine(/"pinned":true/)
    const pins = await json([...bob, 'pins', 'crew'], 'bob lists the pins')
    t.alike(
      pins.map((m) => m.id),
      [first.id],
      "bob's device has alice's pin"
    )

    const [deleted] = await json(
      [...alice, 'delete', 'crew', reply.id],
      "alice deletes bob's reply"
    )
    t.ok(deleted.deleted && deleted.text === '', 'a tombstone')
    await bobTail.waitForLine(/"deleted":true/)
    const again = await run([...bob, 'edit', 'crew', reply.id, 'back'], 'edit a deleted one', 1)
    t.ok(again.stderr.includes('MESSAGE_DELETED'), 'MESSAGE_DELETED')
    const listed = await run([...bob, 'messages', 'crew'], 'messages')
    t.ok(
      listed.stdout.includes('(message deleted)') && !listed.stdout.includes('ten works'),
      'bob sees the tombstone, not the text'
    )
    t.ok(listed.stdout.includes('(pinned)'), 'and the pin')
  }
)
