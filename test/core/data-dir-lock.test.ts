import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import { DataDirLock, type Opened } from '../../src/core/control/data-dir-lock.js'
import { tempDir } from '../helpers/index.js'

function oneShot(dataDir: string): Promise<Opened> {
  return DataDirLock.open(dataDir, { kind: 'one-shot', command: 'test', mustOwn: false })
}

/** Opens n one-shot locks at once; each holds the dir for a turn. Returns the most at once. */
async function contend(dataDir: string, n: number): Promise<{ most: number; turns: number }> {
  let holding = 0
  let most = 0
  let turns = 0
  await Promise.all(
    Array.from({ length: n }, async () => {
      const opened = await oneShot(dataDir)
      if (!('lock' in opened)) throw new Error('no long-running core here')
      holding++
      turns++
      most = Math.max(most, holding)
      await new Promise((resolve) => setImmediate(resolve))
      holding--
      await opened.lock.release()
    })
  )
  return { most, turns }
}

test('one-shot holders take turns: never two at once, none fails', async (t) => {
  const dataDir = await tempDir(t)
  t.alike(await contend(dataDir, 12), { most: 1, turns: 12 })
  t.alike(
    (await fs.readdir(dataDir)).filter((f) => /\.(lock|sock|tmp)$/.test(f) || f.includes('stale')),
    [],
    'nothing left behind'
  )
})

test('a stale lock is broken once, even by many at the same moment', async (t) => {
  const dataDir = await tempDir(t)
  const dead = path.join(dataDir, 'control-999999-1.sock') // nobody listens there
  const record = { version: 1, kind: 'one-shot', pid: 999999, command: 'roost send', socket: dead }
  await fs.writeFile(path.join(dataDir, 'core.lock'), JSON.stringify(record) + '\n')
  t.alike(await contend(dataDir, 8), { most: 1, turns: 8 })
})

test('a long-running holder is served to one-shots; a second long-running gets DATA_DIR_IN_USE', async (t) => {
  const dataDir = await tempDir(t)
  const opened = await DataDirLock.open(dataDir, {
    kind: 'long-running',
    command: 'roost serve',
    mustOwn: true
  })
  if (!('lock' in opened)) throw new Error('expected the lock')
  const { lock } = opened
  t.teardown(() => lock.release())
  const client = oneShot(dataDir) // waits: the core is not open yet
  lock.setHandler((transport) => transport.onMessage((frame) => transport.send(frame + '!')))
  lock.ready()
  const remote = await client
  if (!('remote' in remote)) throw new Error('expected a client')
  t.is(remote.hello.kind, 'long-running')
  t.is(remote.hello.pid, process.pid)
  const echoed = new Promise<string>((resolve) => remote.remote.onMessage(resolve))
  remote.remote.send('hi')
  t.is(await echoed, 'hi!', 'frames reach the core once it is ready')
  remote.remote.close()
  try {
    await DataDirLock.open(dataDir, { kind: 'long-running', command: 'roost serve', mustOwn: true })
    t.fail('a second long-running core opened')
  } catch (err) {
    t.is((err as { code?: string }).code, 'DATA_DIR_IN_USE')
  }
})

test('a closing long-running core sends new commands to the data dir, not to itself', async (t) => {
  const dataDir = await tempDir(t)
  const opened = await DataDirLock.open(dataDir, {
    kind: 'long-running',
    command: 'roost serve',
    mustOwn: true
  })
  if (!('lock' in opened)) throw new Error('expected the lock')
  opened.lock.setHandler((transport) => transport.close())
  opened.lock.ready()
  opened.lock.hold()
  const next = oneShot(dataDir)
  await opened.lock.release()
  const after = await next
  t.ok('lock' in after, 'the command waited, then opened the data dir itself')
  if ('lock' in after) await after.lock.release()
})
