import path from 'path'
import test from 'brittle'
import { tempDir } from '../helpers/index.js'
import { ROOST_BIN, runRoost, startBootstrapNode, startProcess } from '../helpers/processes.js'

test(
  'roost CLI: remove, role, leave and invite --for; a removed member is refused with MEMBER_REMOVED',
  { timeout: 150_000 },
  async (t) => {
    const bootstrap = await startBootstrapNode(t)
    const dir = await tempDir(t)
    const net = ['--bootstrap', bootstrap, '--host', '127.0.0.1']
    const alice = ['--data', path.join(dir, 'alice'), ...net]
    const bob = ['--data', path.join(dir, 'bob'), ...net]
    const carol = ['--data', path.join(dir, 'carol'), ...net]
    const ok = async (args: string[], what: string): Promise<string[]> => {
      const run = await runRoost(t, args)
      t.is(run.code, 0, what + (run.code === 0 ? '' : ': ' + run.stderr))
      return run.lines
    }

    await ok([...alice, 'init', '--name', 'alice'], 'alice init')
    await ok([...bob, 'init', '--name', 'bob'], 'bob init')
    await ok([...carol, 'init', '--name', 'carol'], 'carol init')
    const [room] = await ok([...alice, 'create', 'crew'], 'create')
    const serve = startProcess(t, [ROOST_BIN, ...alice, '--json', 'serve'])
    await serve.waitForLine(/"ready":true/)
    const [open] = await ok([...alice, 'invite', 'crew'], 'an unlimited invite')
    await ok([...bob, 'join', open, '--timeout', '30s'], 'bob joins')
    await ok([...carol, 'join', open, '--timeout', '30s'], 'carol joins')
    const bobId = JSON.parse((await ok([...bob, '--json', 'whoami'], 'bob whoami'))[0]).id
    const carolId = JSON.parse((await ok([...carol, '--json', 'whoami'], 'carol whoami'))[0]).id

    await ok([...alice, 'role', 'crew', bobId, 'admin'], 'role admin')
    const members = (await ok([...alice, '--json', 'members', 'crew'], 'members')).map((l) =>
      JSON.parse(l)
    )
    t.is(members.find((m) => m.id === bobId)?.role, 'admin', 'bob is an admin')
    const badRole = await runRoost(t, [...alice, 'role', 'crew', bobId, 'owner'])
    t.is(badRole.code, 2, 'an unknown role is a usage error')

    // by name, as a person types it
    await ok([...alice, 'remove', 'crew', 'carol'], 'remove carol by name')
    // what a removed member tries: leave (which does not undo the removal) and join again
    await ok([...carol, 'leave', 'crew'], 'carol leaves')
    const back = await runRoost(t, [...carol, 'join', open, '--timeout', '30s'])
    t.is(back.code, 1, 'the old invite does not bring carol back')
    t.ok(back.stderr.includes('MEMBER_REMOVED'), 'she is told why: ' + back.stderr.trim())

    const [personal] = await ok(
      [...alice, 'invite', 'crew', '--for', carolId.slice(0, 8)],
      'an invite for carol (by the start of her key)'
    )
    const [rejoined] = await ok([...carol, 'join', personal, '--timeout', '30s'], 'carol is back')
    t.is(rejoined, room, 'in the same room')

    await ok([...alice, 'role', 'crew', bobId, 'member'], 'role member')
    const lastAdmin = await runRoost(t, [...alice, 'leave', 'crew'])
    t.is(lastAdmin.code, 1, 'the last admin cannot leave')
    t.ok(lastAdmin.stderr.includes('LAST_ADMIN'), 'and is told why')
    await ok([...bob, 'leave', 'crew'], 'bob leaves')
    t.is(serve.child.exitCode, null, 'serve is still up')
    // the leave reached alice's serve before bob's command returned; its view applies it next
    let gone = false
    for (let i = 0; i < 50 && !gone; i++) {
      const lines = await ok([...alice, '--json', 'members', 'crew'], 'members after')
      gone = lines.map((l) => JSON.parse(l)).find((m) => m.id === bobId)?.removed === true
    }
    t.ok(gone, 'alice sees bob gone')
    const bobRooms = await ok([...bob, '--json', 'rooms'], 'bob rooms')
    t.is(bobRooms.length, 0, 'the room is gone from bob’s device')
  }
)
