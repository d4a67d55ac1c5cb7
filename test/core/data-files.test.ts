import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import { BlindPeerService } from '../../blind-peer/blind-peer-service.js'
import { createRoost } from '../../src/core/roost.js'
import { createFileAtomic } from '../../src/core/storage/atomic-write.js'
import { readJsonFile, writeJsonFile } from '../../src/core/storage/json-file.js'
import { RoostError } from '../../src/shared/api/errors.js'
import { createPeer, tempDir } from '../helpers/index.js'

/** The RoostError a promise rejects with; fails the test if it resolves. */
async function rejection(
  t: import('brittle').Test,
  promise: Promise<unknown>
): Promise<RoostError> {
  try {
    await promise
  } catch (err) {
    t.ok(err instanceof RoostError, 'a RoostError')
    return err as RoostError
  }
  t.fail('expected a rejection')
  return new RoostError('INTERNAL', 'resolved')
}

test('200 concurrent setName and config updates leave valid files with the last value', async (t) => {
  const dataDir = await tempDir(t)
  const core = await createPeer(t, null, { dataDir, name: 'start' })
  const names = Array.from({ length: 200 }, (_, i) => `name ${i}`)
  const keys = Array.from({ length: 200 }, () => z32.encode(crypto.randomBytes(32)))
  await Promise.all([
    ...names.map((name) => core.setName(name)),
    ...keys.map((key) => core.setConfig({ relay: key }))
  ])
  const profile = JSON.parse(await fs.readFile(path.join(dataDir, 'profile.json'), 'utf8'))
  t.is(profile.name, 'name 199', 'profile.json parses and holds the last name')
  t.is((await core.profile())?.name, 'name 199')
  const config = JSON.parse(await fs.readFile(path.join(dataDir, 'config.json'), 'utf8'))
  t.is(config.relay, keys[199], 'config.json parses and holds the last relay')
  const left = (await fs.readdir(dataDir)).filter((f) => f.endsWith('.tmp'))
  t.alike(left, [], 'no temp file is left behind')
})

test('writeJsonFile: 200 overlapping writes of one file, the last wins, whole', async (t) => {
  const file = path.join(await tempDir(t), 'x.json')
  const writes = Array.from({ length: 200 }, (_, i) =>
    writeJsonFile(file, { i, pad: 'x'.repeat(200 - i) })
  )
  await Promise.all(writes)
  t.alike(await readJsonFile(file), { i: 199, pad: 'x'.repeat(1) })
  t.alike(await fs.readdir(path.dirname(file)), ['x.json'], 'no temp file is left behind')
})

test('createFileAtomic: of 20 racing creators exactly one wins, its content whole', async (t) => {
  const file = path.join(await tempDir(t), 'seed')
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) => createFileAtomic(file, `seed ${i}\n`))
  )
  t.is(results.filter((r) => r).length, 1, 'one creator')
  const winner = results.indexOf(true)
  t.is(await fs.readFile(file, 'utf8'), `seed ${winner}\n`)
  t.is((await fs.stat(file)).mode & 0o777, 0o600, 'mode 0600')
})

test('a corrupt profile.json gives DATA_FILE_CORRUPT naming the file; fixed, it opens', async (t) => {
  const dataDir = await tempDir(t)
  const first = await createRoost({ dataDir, offline: true })
  await first.init({ name: 'fay' })
  await first.close()
  const file = path.join(dataDir, 'profile.json')
  const good = await fs.readFile(file, 'utf8')
  await fs.writeFile(file, good + '}trailing')
  const err = await rejection(t, createRoost({ dataDir, offline: true }))
  t.is(err.code, 'DATA_FILE_CORRUPT')
  t.ok(err.message.includes(file), 'names the file: ' + err.message)
  t.ok(/backup/.test(err.message), 'and how to recover')

  await fs.writeFile(file, JSON.stringify({ name: 'fay', publicKey: 'zz' }))
  t.is((await rejection(t, createRoost({ dataDir, offline: true }))).code, 'DATA_FILE_CORRUPT')

  await fs.writeFile(file, good)
  const again = await createRoost({ dataDir, offline: true })
  t.teardown(() => again.close())
  t.is((await again.profile())?.name, 'fay', 'the failed opens left the data dir unlocked')
})

test('a corrupt rooms.json or config.json is named too', async (t) => {
  const dataDir = await tempDir(t)
  await fs.writeFile(path.join(dataDir, 'rooms.json'), '{"version":1,"rooms":[{"key":')
  const rooms = await rejection(t, createRoost({ dataDir, offline: true }))
  t.is(rooms.code, 'DATA_FILE_CORRUPT')
  t.ok(rooms.message.includes('rooms.json'), rooms.message)
  await fs.writeFile(path.join(dataDir, 'rooms.json'), '{"version":1,"rooms":[{"key":1}]}')
  t.is((await rejection(t, createRoost({ dataDir, offline: true }))).code, 'DATA_FILE_CORRUPT')
  await fs.rm(path.join(dataDir, 'rooms.json'))
  await fs.writeFile(path.join(dataDir, 'config.json'), '\0\0\0')
  const config = await rejection(t, createRoost({ dataDir, offline: true }))
  t.is(config.code, 'DATA_FILE_CORRUPT')
  t.ok(config.message.includes('config.json') && /delete it/.test(config.message), config.message)
})

test('blind peer: a damaged seed is refused by name, never replaced by a new key', async (t) => {
  const storage = await tempDir(t)
  await fs.writeFile(path.join(storage, 'seed'), 'ab12\n') // a crash mid-write, before this fix
  const service = new BlindPeerService({ storage, bootstrap: ['127.0.0.1:1'], host: '127.0.0.1' })
  const err = await rejection(t, service.open())
  t.is(err.code, 'DATA_FILE_CORRUPT')
  t.ok(err.message.includes(path.join(storage, 'seed')), err.message)
  t.is(await fs.readFile(path.join(storage, 'seed'), 'utf8'), 'ab12\n', 'the seed is untouched')
})
