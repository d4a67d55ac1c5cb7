import path from 'path'
import test from 'brittle'
import { tempDir } from '../helpers/index.js'
import { ROOST_BIN, runRoost, startBootstrapNode, startProcess } from '../helpers/processes.js'

test(
  'roost CLI: two people create, invite, join, send, tail and read as real processes',
  { timeout: 120_000 },
  async (t) => {
    const bootstrap = await startBootstrapNode(t)
    const dir = await tempDir(t)
    const net = ['--bootstrap', bootstrap, '--host', '127.0.0.1']
    const alice = ['--data', path.join(dir, 'alice'), ...net]
    const bob = ['--data', path.join(dir, 'bob'), ...net]

    t.is((await runRoost(t, [...alice, 'init', '--name', 'alice'])).code, 0, 'alice init')
    const created = await runRoost(t, [...alice, 'create', 'general'])
    t.is(created.code, 0, 'create')
    const roomKey = created.lines[0]
    t.ok(/^[a-z0-9]{52}$/.test(roomKey), 'create prints the room key')

    const invite = await runRoost(t, [
      ...alice,
      'invite',
      'general',
      '--expires',
      '10m',
      '--uses',
      '1'
    ])
    t.is(invite.code, 0, 'invite')
    const [code, link] = invite.lines
    t.ok(link === 'roost://invite/' + code, 'invite prints the code and its link')

    const serve = startProcess(t, [ROOST_BIN, ...alice, '--json', 'serve'])
    await serve.waitForLine(/"ready":true/)
    t.is(
      (await runRoost(t, [...alice, 'serve'])).stderr
        .trim()
        .split('\n')
        .pop()
        ?.startsWith('error DATA_DIR_IN_USE'),
      true,
      'a second serve on the same data dir is refused'
    )

    t.is((await runRoost(t, [...bob, 'init', '--name', 'bob'])).code, 0, 'bob init')
    // as an email would bring it: a sentence, quotes, the link wrapped over two lines
    const pasted = `Join my room:\n"${link.slice(0, 60)}\n${link.slice(60)}" see you there`
    const joined = await runRoost(t, [...bob, 'join', pasted, '--timeout', '30s'])
    t.is(joined.code, 0, 'join exits 0 with the invite inside a pasted text: ' + joined.stderr)
    t.is(joined.lines[0], roomKey, 'join prints the same room key')
    const again = await runRoost(t, [...bob, 'join', 'code:', code.toUpperCase(), 'thanks'])
    t.is(again.lines[0], roomKey, 'unquoted words around an upper-case code are one text too')

    const bobTail = startProcess(t, [ROOST_BIN, ...bob, '--json', 'tail', 'general'])
    await bobTail.waitForLine(/tailing/)
    const aliceTail = startProcess(t, [ROOST_BIN, ...alice, '--json', 'tail', roomKey])
    await aliceTail.waitForLine(/tailing/)

    const sent = await runRoost(t, [...alice, 'send', 'general', 'hello bob'])
    t.is(sent.code, 0, 'alice sends through the running core')
    const seenByBob = JSON.parse(await bobTail.waitForLine(/hello bob/))
    t.is(seenByBob.authorName, 'alice', 'bob tails alice’s message')
    t.is(seenByBob.room, roomKey)

    const reply = await runRoost(t, [...bob, 'send', 'general', 'hi alice', '--wait'])
    t.is(reply.code, 0, 'bob sends with --wait through his tail core')
    await aliceTail.waitForLine(/hi alice/)

    const listed = await runRoost(t, [...alice, '--json', 'messages', 'general', '--limit', '10'])
    t.is(listed.code, 0)
    const messages = listed.lines.map((l) => JSON.parse(l))
    t.alike(
      messages.map((m) => m.text),
      ['hello bob', 'hi alice'],
      'messages --json lists both, oldest first'
    )
    t.alike(Object.keys(messages[0]).sort(), [
      'author',
      'authorName',
      'deleted',
      'editedAt',
      'file',
      'id',
      'mentions',
      'pinned',
      'reactions',
      'replyTo',
      'room',
      'seq',
      'state',
      'text',
      'timestamp'
    ])
    t.is(messages[0].file, null, 'a text message carries no file')
    t.is(messages[1].authorName, 'bob')

    const members = await runRoost(t, [...bob, '--json', 'members', 'general'])
    t.alike(members.lines.map((l) => JSON.parse(l).name).sort(), ['alice', 'bob'], 'members')

    const garbage = await runRoost(t, [...bob, 'join', 'not-an-invite'])
    t.is(garbage.code, 1, 'garbage invite exits 1')
    t.ok(garbage.stderr.includes('error INVITE_INVALID'), 'and says INVITE_INVALID')

    const status = JSON.parse((await runRoost(t, [...bob, '--json', 'status'])).stdout)
    const general = status.rooms.find((r: { name: string }) => r.name === 'general')
    t.is(general.connection.peers, 1, 'status --json: one member connected')
    t.is(general.peers[0].relayed, false, 'directly')
    t.is(general.connection.trouble, null, 'no trouble')

    const relayKey = (await runRoost(t, [...alice, 'whoami'])).stdout.split(' ')[1].trim()
    const relay = await runRoost(t, [...bob, '--json', 'config', 'relay', relayKey])
    t.is(JSON.parse(relay.stdout).relay, relayKey, 'config relay KEY sets the relay')
    const badRelay = await runRoost(t, [...bob, 'config', 'relay', 'nope'])
    t.ok(badRelay.stderr.includes('error BLIND_PEER_KEY_INVALID'), 'a bad relay key is refused')
    const cleared = await runRoost(t, [...bob, 'config', 'relay', 'none'])
    t.ok(cleared.lines.includes('relay: none'), 'config relay none clears it')

    const usage = await runRoost(t, [...bob, 'send', 'general'])
    t.is(usage.code, 2, 'bad arguments exit 2')
    t.ok(usage.stderr.includes('Usage: roost'), 'and print usage')

    t.is(await bobTail.stop('SIGINT'), 0, 'tail exits cleanly on Ctrl-C')
    t.is(await aliceTail.stop('SIGTERM'), 0)
    t.is(await serve.stop('SIGTERM'), 0, 'serve shuts down cleanly on SIGTERM')
  }
)
