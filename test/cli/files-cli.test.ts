import fs from 'fs/promises'
import path from 'path'
import crypto from 'crypto'
import test from 'brittle'
import { createPeer, tempDir, until } from '../helpers/index.js'
import { ROOST_BIN, runRoost, startBootstrapNode, startProcess } from '../helpers/processes.js'

const MiB = 1024 * 1024
const SIZE = 64 * MiB

/** `downloading 40% (123 of 456 bytes)`, as `roost download` logs its progress. */
const PROGRESS = /(downloading|waiting) (\d+)% \((\d+) of (\d+) bytes\)/

test(
  'roost send-file, files and download; a download killed halfway resumes without refetching',
  { timeout: 240_000 },
  async (t) => {
    const bootstrap = await startBootstrapNode(t)
    const dir = await tempDir(t)
    const bobArgs = [
      '--data',
      path.join(dir, 'bob'),
      '--bootstrap',
      bootstrap,
      '--host',
      '127.0.0.1'
    ]
    const alice = await createPeer(t, null, { name: 'alice', bootstrap: [bootstrap] })
    const room = (await alice.createRoom({ name: 'general' })).id
    await alice.flush()
    t.is((await runRoost(t, [...bobArgs, 'init', '--name', 'bob'])).code, 0, 'bob init')
    const code = (await alice.createInvite(room)).code as string
    const joined = await runRoost(t, [...bobArgs, 'join', code, '--timeout', '60s'])
    t.is(joined.code, 0, 'bob joins: ' + joined.stderr)

    // bad input: a coded error, exit 1, nothing written
    const missing = await runRoost(t, [...bobArgs, 'send-file', 'general', path.join(dir, 'nope')])
    t.is(missing.code, 1, 'a missing file: exit 1')
    t.ok(missing.stderr.includes('FILE_NOT_FOUND'), 'FILE_NOT_FOUND')
    const folder = await runRoost(t, [...bobArgs, 'send-file', 'general', dir])
    t.is(folder.code, 1, 'a folder: exit 1')
    t.ok(folder.stderr.includes('FILE_IS_DIRECTORY'), 'FILE_IS_DIRECTORY')
    const usage = await runRoost(t, [...bobArgs, 'send-file', 'general'])
    t.is(usage.code, 2, 'no path: a usage error')

    // bob, with his core serving, sends a small file with a caption; alice has it
    const serve = startProcess(t, [ROOST_BIN, ...bobArgs, '--json', 'serve'])
    await serve.waitForLine(/"ready":true/)
    const small = path.join(dir, 'hello.txt')
    await fs.writeFile(small, 'hello from the CLI')
    const sentSmall = await runRoost(t, [...bobArgs, 'send-file', 'general', small, '--text', 'hi'])
    t.is(sentSmall.code, 0, 'send-file exits 0: ' + sentSmall.stderr)
    const smallId = sentSmall.lines[0]
    t.ok(/^[a-z0-9]{52}\.\d+$/.test(smallId), 'send-file prints the message id')
    await until([alice], async () => (await alice.files(room)).some((f) => f.message === smallId))
    const got = await alice.download(room, smallId, { out: path.join(dir, 'alice-out') })
    t.is(await fs.readFile(got.path as string, 'utf8'), 'hello from the CLI', 'alice has it')

    // Ctrl-C stops a send, even though bob's serve, not this process, was doing it
    const movie = path.join(dir, 'movie.bin')
    await fs.writeFile(movie, crypto.randomBytes(SIZE))
    const sending = startProcess(t, [ROOST_BIN, ...bobArgs, 'send-file', 'general', movie])
    await sending.waitForLine(/sending \d+% \(\d+ of \d+ bytes\)/)
    t.is(await sending.stop('SIGINT'), 1, 'Ctrl-C: exit 1')
    t.ok(sending.stderr.includes('SEND_CANCELLED'), 'SEND_CANCELLED: ' + sending.stderr)
    const marker = await alice.send(room, { text: 'after the stopped send' })
    const bobSees = await runRoost(t, [...bobArgs, '--json', 'files', 'general'])
    t.absent(bobSees.stdout.includes('movie.bin'), 'bob lists no such file')
    await until([alice], async () =>
      (await alice.messages(room)).messages.some((m) => m.id === marker.id)
    )
    t.absent(
      (await alice.files(room)).some((f) => f.file.name === 'movie.bin'),
      'and it reached nobody'
    )
    t.is(await serve.stop('SIGTERM'), 0, "bob's core stops")

    // no core running: --wait goes online and exits once a peer has the message
    const waited = await runRoost(t, [
      ...bobArgs,
      '--json',
      'send-file',
      'general',
      small,
      '--wait'
    ])
    t.is(waited.code, 0, 'send-file --wait exits 0: ' + waited.stderr)
    const waitedMessage = JSON.parse(waited.lines.at(-1) as string) as { id: string; state: string }
    t.is(waitedMessage.state, 'sent', 'it printed the message once sent')
    t.ok(
      (await alice.messages(room)).messages.some((m) => m.id === waitedMessage.id),
      'alice has it'
    )

    // alice sends a big one; bob's download is killed (kill -9) once half of it is here
    const big = path.join(dir, 'big.bin')
    const content = crypto.randomBytes(SIZE)
    await fs.writeFile(big, content)
    const sent = await alice.sendFile(room, { path: big })
    const out = path.join(dir, 'bob-out')
    const first = startProcess(t, [
      ROOST_BIN,
      ...bobArgs,
      'download',
      'general',
      sent.id,
      '--out',
      out
    ])
    const half = await first.waitForLine(/downloading ([5-9]\d)% /)
    process.kill(first.child.pid as number, 'SIGKILL')
    await first.exited
    t.pass('killed at ' + PROGRESS.exec(half)?.[2] + '%')
    const listed = await runRoost(t, [...bobArgs, 'files', 'general'])
    t.ok(
      listed.lines.some((l) => l.startsWith(sent.id) && l.includes('remote')),
      listed.stdout
    )
    t.ok(
      (await fs.readdir(out)).every((f) => f.endsWith('.roost-part')),
      'nothing under the final name'
    )

    const second = startProcess(t, [
      ROOST_BIN,
      ...bobArgs,
      '--json',
      'download',
      'general',
      sent.id,
      '--out',
      out
    ])
    t.is(await second.exited, 0, 'the second download finishes: ' + second.stderr)
    const start = PROGRESS.exec(second.stderr)
    const heldAtStart = Number(start?.[3])
    t.ok(heldAtStart >= SIZE / 2, `resumed with ${heldAtStart} of ${SIZE} bytes held`)
    const done = JSON.parse(second.stdoutLines.at(-1) as string) as {
      fetched: number
      path: string
    }
    t.ok(
      done.fetched <= SIZE - heldAtStart,
      `fetched again only what was missing: ${done.fetched} ≤ ${SIZE - heldAtStart}`
    )
    t.ok((await fs.readFile(done.path)).equals(content), 'byte-identical')
    t.alike(await fs.readdir(out), ['big.bin'], 'only the final file is left')
    const after = await runRoost(t, [...bobArgs, 'files', 'general'])
    t.ok(
      after.lines.some((l) => l.startsWith(sent.id) && l.includes(`done ${done.path}`)),
      'done PATH'
    )
  }
)
