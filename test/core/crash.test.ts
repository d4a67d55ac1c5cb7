import path from 'path'
import test from 'brittle'
import { allMessages, createPeer, tempDir, until } from '../helpers/index.js'
import {
  killHard,
  mustRoost,
  runRoost,
  startBootstrapNode,
  startServe
} from '../helpers/processes.js'

const ROUNDS = 3
const BURST = 25

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? ''
}

test(
  'kill -9 of roost serve right after a burst of sends, three times: every acknowledged send is kept once and reaches bob',
  { timeout: 300_000 },
  async (t) => {
    const bootstrap = await startBootstrapNode(t)
    const dir = await tempDir(t)
    const alice = [
      '--data',
      path.join(dir, 'alice'),
      '--bootstrap',
      bootstrap,
      '--host',
      '127.0.0.1'
    ]
    await mustRoost(t, [...alice, 'init', '--name', 'alice'])
    await mustRoost(t, [...alice, 'create', 'general'])
    const code = (await mustRoost(t, [...alice, 'invite', 'general'])).lines[0]
    let serve = await startServe(t, alice)
    const bob = await createPeer(t, null, { name: 'bob', bootstrap: [bootstrap] })
    const room = (await bob.join(code, { timeout: 60_000 })).id
    await until([bob], async () => (await bob.room(room)).writable)

    const acked: string[] = []
    const texts = new Map<string, string>()
    for (let round = 0; round < ROUNDS; round++) {
      const started = Date.now()
      const sends = await Promise.all(
        Array.from({ length: BURST }, (_, i) =>
          runRoost(t, [...alice, '--json', 'send', 'general', `round ${round} message ${i}`])
        )
      )
      await killHard(serve) // right after the last send returned
      const burstMs = Date.now() - started
      t.is(serve.child.signalCode, 'SIGKILL', `round ${round}: serve was killed with SIGKILL`)
      const failed = sends.filter((s) => s.code !== 0).map((s) => lastLine(s.stderr))
      t.alike(failed, [], `round ${round}: all ${BURST} sends returned`)
      const printed = sends
        .filter((s) => s.code === 0)
        .map((s) => JSON.parse(s.stdout) as { id: string; text: string })
      t.alike(
        printed.map((m) => m.text),
        sends.map((_, i) => `round ${round} message ${i}`),
        `round ${round}: each printed its message`
      )
      for (const message of printed) {
        acked.push(message.id)
        texts.set(message.id, message.text)
      }
      const restarting = Date.now()
      serve = await startServe(t, alice)
      t.comment(
        `round ${round}: ${BURST} sends in ${burstMs} ms, then SIGKILL; serve ready again after ${Date.now() - restarting} ms`
      )
    }
    t.is(new Set(acked).size, ROUNDS * BURST, 'every acknowledged send has its own id')

    const listed = await mustRoost(t, [...alice, '--json', 'messages', 'general', '--limit', '500'])
    const aliceIds = listed.lines.map((l) => (JSON.parse(l) as { id: string }).id)
    const aliceTexts = listed.lines.map((l) => (JSON.parse(l) as { text: string }).text)
    const missing = acked.filter((id) => !aliceIds.includes(id))
    t.alike(missing, [], 'alice has every acknowledged send after three crashes')
    t.is(new Set(aliceIds).size, aliceIds.length, 'no id twice in alice’s list')
    t.is(new Set(aliceTexts).size, aliceTexts.length, 'no text twice in alice’s list (no resend)')
    t.is(aliceIds.length, acked.length, 'and nothing else')

    const waiting = Date.now()
    await until([bob], async () => {
      const have = new Set((await allMessages(bob, room)).map((m) => m.id))
      return acked.every((id) => have.has(id))
    })
    t.comment(`bob had all ${acked.length} ${Date.now() - waiting} ms after the last restart`)
    const bobMessages = await allMessages(bob, room)
    t.is(new Set(bobMessages.map((m) => m.id)).size, bobMessages.length, 'no id twice at bob')
    t.is(bobMessages.length, acked.length, 'bob has exactly the acknowledged sends')
    t.ok(
      bobMessages.every((m) => texts.get(m.id) === m.text),
      'with the texts alice acknowledged'
    )
    t.is(await serve.stop(), 0, 'serve stops cleanly after the last restart')
  }
)
