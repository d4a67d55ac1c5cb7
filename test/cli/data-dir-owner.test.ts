import { watch } from 'fs'
import fs from 'fs/promises'
import net from 'net'
import path from 'path'
import test from 'brittle'
import type { Test } from 'brittle'
import { tempDir } from '../helpers/index.js'
import {
  ROOST_BIN,
  runRoost,
  startBootstrapNode,
  startProcess,
  type RunningProcess
} from '../helpers/processes.js'

const ROUNDS = 10

/** alice (with a room `general`) and bob, a member of it, on a private DHT. */
async function twoMembers(t: Test) {
  const bootstrap = await startBootstrapNode(t)
  const dir = await tempDir(t)
  const net = ['--bootstrap', bootstrap, '--host', '127.0.0.1']
  const alice = ['--data', path.join(dir, 'alice'), ...net]
  const bob = ['--data', path.join(dir, 'bob'), ...net]
  await must(t, [...alice, 'init', '--name', 'alice'])
  await must(t, [...alice, 'create', 'general'])
  const code = (await must(t, [...alice, 'invite', 'general'])).lines[0]
  const serve = await startServe(t, alice)
  await must(t, [...bob, 'init', '--name', 'bob'])
  await must(t, [...bob, 'join', code, '--timeout', '30s'])
  t.is(await serve.stop(), 0, 'alice stops serving')
  return { alice, bob, dir, net }
}

async function must(t: Test, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = await runRoost(t, args, env)
  if (result.code !== 0) t.fail(`roost ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return result
}

async function startServe(t: Test, args: string[], env: NodeJS.ProcessEnv = {}) {
  const serve = startProcess(t, [ROOST_BIN, ...args, '--json', 'serve'], env)
  await serve.waitForLine(/"ready":true/)
  return serve
}

function lastError(stderr: string): string {
  return stderr.trim().split('\n').pop() ?? ''
}

test(
  'serve started while one-shot commands run: serve never fails, every command succeeds, every send arrives',
  { timeout: 300_000 },
  async (t) => {
    const { alice, bob } = await twoMembers(t)
    const tail = startProcess(t, [ROOST_BIN, ...bob, '--json', 'tail', 'general'])
    await tail.waitForLine(/tailing/)
    let throughServe = 0
    for (let round = 0; round < ROUNDS; round++) {
      const serve = startProcess(t, [ROOST_BIN, ...alice, '--json', 'serve'])
      const oneShots = await Promise.all([
        runRoost(t, [...alice, '--json', 'status']),
        runRoost(t, [...alice, '--json', 'send', 'general', `round ${round} first`]),
        runRoost(t, [...alice, '--json', 'send', 'general', `round ${round} second`]),
        runRoost(t, [...alice, '--json', 'rooms']),
        runRoost(t, [...alice, '--json', 'status'])
      ])
      const failed = oneShots.filter((r) => r.code !== 0).map((r) => lastError(r.stderr))
      t.alike(failed, [], `round ${round}: every one-shot command succeeds`)
      for (const status of [oneShots[0], oneShots[4]]) {
        if (JSON.parse(status.stdout).online === true) throughServe++
      }
      await serve.waitForLine(/"ready":true/)
      t.is(serve.child.exitCode, null, `round ${round}: serve is up`)
      const after = JSON.parse((await must(t, [...alice, '--json', 'status'])).stdout)
      t.is(after.online, true, `round ${round}: the next command goes through serve`)
      await tail.waitForLine(new RegExp(`round ${round} first`))
      await tail.waitForLine(new RegExp(`round ${round} second`))
      t.is(await serve.stop(), 0, `round ${round}: both sends reached bob; serve stops cleanly`)
    }
    t.comment(`${throughServe} of ${2 * ROUNDS} racing status commands went through serve`)
    t.is(await tail.stop('SIGINT'), 0)
  }
)

test('two serve on one data dir at once: one serves, the other gets DATA_DIR_IN_USE', async (t) => {
  const dir = path.join(await tempDir(t), 'alice')
  await must(t, ['--data', dir, 'init', '--name', 'alice'])
  const start = () => startProcess(t, [ROOST_BIN, '--data', dir, '--json', 'serve'])
  const serves = [start(), start()]
  const loser = await Promise.race(serves.map((s) => s.exited.then(() => s)))
  t.is(await loser.exited, 1, 'one exits 1')
  t.ok(lastError(loser.stderr).startsWith('error DATA_DIR_IN_USE'), lastError(loser.stderr))
  t.ok(/roost serve \(pid \d+\) runs on it/.test(loser.stderr), 'naming the other serve')
  const winner = serves.find((s) => s !== loser) as RunningProcess
  await winner.waitForLine(/"ready":true/)
  t.is(winner.child.exitCode, null, 'the other serves')
  const status = JSON.parse((await must(t, ['--data', dir, '--json', 'status'])).stdout)
  t.is(status.online, true, 'commands go to the one that serves')
  t.is(await winner.stop(), 0)
})

test(
  'a serve waits for a one-shot holder; a command started meanwhile waits for serve, not the lock',
  { timeout: 120_000 },
  async (t) => {
    const { alice, dir, net } = await twoMembers(t)
    const code = (await must(t, [...alice, 'invite', 'general'])).lines[0]
    const carol = ['--data', path.join(dir, 'carol'), ...net]
    await must(t, [...carol, 'init', '--name', 'carol'])
    // no admin is online: the join holds carol's data dir as a one-shot until killed
    const join = startProcess(t, [ROOST_BIN, ...carol, 'join', code, '--timeout', '10m'])
    const lock = path.join(dir, 'carol', 'core.lock')
    await untilFile(lock, /"roost join"/)
    const serve = startProcess(t, [ROOST_BIN, ...carol, '--json', 'serve'])
    await serve.waitForLine(/waiting for roost join \(pid \d+\) to finish/)
    const status = runRoost(t, [...carol, '--json', 'status'])
    const send = runRoost(t, [...carol, 'rooms'])
    process.kill(join.child.pid as number, 'SIGKILL') // a crash: its lock is left behind
    await join.exited
    await serve.waitForLine(/"ready":true/)
    const [s, r] = await Promise.all([status, send])
    t.is(s.code, 0, s.stderr)
    t.is(JSON.parse(s.stdout).online, true, 'the command went through serve')
    t.is(r.code, 0, r.stderr)
    t.is(await serve.stop(), 0, 'serve took over the crashed holder’s lock and ran')
  }
)

/** Resolves once file exists and matches (the holder records itself in it). */
function untilFile(file: string, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(path.dirname(file)) // watching before the first look: nothing is missed
    const check = () =>
      fs.readFile(file, 'utf8').then(
        (text) => {
          if (!pattern.test(text)) return
          watcher.close()
          resolve()
        },
        () => {}
      )
    watcher.on('change', () => void check())
    watcher.once('error', reject)
    void check()
  })
}

test('the control socket lives in $XDG_RUNTIME_DIR/roost (0700), found from the lock file', async (t) => {
  const runtime = await tempDir(t)
  await fs.chmod(runtime, 0o700)
  const dir = path.join(await tempDir(t), 'alice')
  const env = { XDG_RUNTIME_DIR: runtime }
  await must(t, ['--data', dir, 'init', '--name', 'alice'], env)
  const serve = await startServe(t, ['--data', dir], env)
  const record = JSON.parse(await fs.readFile(path.join(dir, 'long-running.lock'), 'utf8'))
  t.is(record.kind, 'long-running')
  t.is(record.pid, serve.child.pid)
  t.is(path.dirname(record.socket), path.join(runtime, 'roost'), 'socket in the runtime dir')
  t.is((await fs.stat(path.join(runtime, 'roost'))).mode & 0o777, 0o700, 'runtime dir 0700')
  t.is((await fs.stat(record.socket)).mode & 0o777, 0o600, 'socket 0600')
  t.absent(
    (await fs.readdir(dir)).some((f) => f.endsWith('.sock')),
    'none in the data dir'
  )
  const without = JSON.parse(
    (await must(t, ['--data', dir, '--json', 'status'], { XDG_RUNTIME_DIR: '' })).stdout
  )
  t.is(without.online, true, 'a command without XDG_RUNTIME_DIR still finds serve')
  t.is(await serve.stop(), 0)
  t.alike(await fs.readdir(path.join(runtime, 'roost')), [], 'serve removed its socket')
  t.absent(
    (await fs.readdir(dir)).some((f) => f.endsWith('.lock')),
    'and its lock files'
  )
})

test('a control socket owned by someone else is never talked to', async (t) => {
  if (process.getuid?.() !== 0) {
    t.comment('needs root to make a socket of another user')
    return
  }
  const dir = path.join(await tempDir(t), 'alice')
  await must(t, ['--data', dir, 'init', '--name', 'alice'])
  const socketPath = path.join(dir, 'control-1-1.sock')
  const server = net.createServer((socket) => socket.destroy())
  await new Promise<void>((resolve) => server.listen(socketPath, resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  await fs.chown(socketPath, 12345, 12345)
  const record = {
    version: 1,
    kind: 'long-running',
    pid: 1,
    command: 'roost serve',
    socket: socketPath
  }
  await fs.writeFile(path.join(dir, 'long-running.lock'), JSON.stringify(record))
  const status = await runRoost(t, ['--data', dir, 'status'])
  t.is(status.code, 1)
  t.ok(lastError(status.stderr).startsWith('error CONTROL_SOCKET_UNSAFE'), lastError(status.stderr))
})

test('a serve killed with SIGKILL leaves a lock the next command breaks', async (t) => {
  const dir = path.join(await tempDir(t), 'alice')
  await must(t, ['--data', dir, 'init', '--name', 'alice'])
  const serve = await startServe(t, ['--data', dir])
  process.kill(serve.child.pid as number, 'SIGKILL')
  await serve.exited
  t.ok((await fs.readdir(dir)).includes('core.lock'), 'the crashed serve left its lock')
  const status = JSON.parse((await must(t, ['--data', dir, '--json', 'status'])).stdout)
  t.is(status.online, false, 'a one-shot core opened it')
  const left = (await fs.readdir(dir)).filter((f) => f.endsWith('.lock') || f.endsWith('.sock'))
  t.alike(left, [], 'and nothing of the crash is left')
  const again = await startServe(t, ['--data', dir])
  t.is(await again.stop(), 0, 'serve starts again')
})
