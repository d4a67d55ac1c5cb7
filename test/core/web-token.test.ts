import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import { RoostError } from '../../src/shared/api/errors.js'
import { loadWebToken, WEB_TOKEN_FILE } from '../../src/core/web/web-token.js'
import { tempDir } from '../helpers/index.js'

const TOKEN = /^[0-9a-f]{48}$/

test('web token: made once per data dir, mode 0600, and the same on every later start', async (t) => {
  const dataDir = await tempDir(t)
  const logs: string[] = []
  const first = await loadWebToken(dataDir, (line) => logs.push(line))
  t.ok(TOKEN.test(first), 'a 48-hex token')
  const file = path.join(dataDir, WEB_TOKEN_FILE)
  t.is((await fs.stat(file)).mode & 0o777, 0o600, 'its file is mode 0600')
  t.is(await loadWebToken(dataDir, (line) => logs.push(line)), first, 'a restart reuses it')
  t.alike(logs, [], 'nothing to report')
  t.absent(
    (await fs.readdir(dataDir)).some((name) => name.endsWith('.tmp')),
    'no temp file is left'
  )
  const other = await tempDir(t)
  t.not(await loadWebToken(other, () => {}), first, 'another data dir has its own')
})

test('web token: a file holding no token, or open to others, is replaced and said so', async (t) => {
  const dataDir = await tempDir(t)
  const file = path.join(dataDir, WEB_TOKEN_FILE)
  const logs: string[] = []
  await fs.writeFile(file, 'not a token\u0000', { mode: 0o600 })
  const fresh = await loadWebToken(dataDir, (line) => logs.push(line))
  t.ok(TOKEN.test(fresh), 'a new token')
  t.is((await fs.readFile(file, 'utf8')).trim(), fresh, 'written in place of the garbage')
  t.is((await fs.stat(file)).mode & 0o777, 0o600, 'mode 0600')
  t.ok(logs.length === 1 && logs[0].includes(file), 'the log names the file: ' + logs[0])
  t.absent(logs[0].includes(fresh), 'but never the token')

  await fs.chmod(file, 0o644)
  const again = await loadWebToken(dataDir, (line) => logs.push(line))
  t.not(again, fresh, 'a token others could read is not used')
  t.is((await fs.stat(file)).mode & 0o777, 0o600, 'its replacement is 0600')
  t.ok(logs[1]?.includes('other users'), 'and the log says why')
})

test('web token: an unreadable token file is DATA_FILE_CORRUPT naming it, not a crash', async (t) => {
  const dataDir = await tempDir(t)
  const file = path.join(dataDir, WEB_TOKEN_FILE)
  await fs.mkdir(file) // readable by nobody as a file, even by root
  try {
    await loadWebToken(dataDir, () => {})
    t.fail('it should not load')
  } catch (err) {
    t.ok(err instanceof RoostError, 'a RoostError')
    t.is((err as RoostError).code, 'DATA_FILE_CORRUPT')
    t.ok((err as RoostError).message.includes(file), 'naming the file')
  }
})
