import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import { isValidPhrase } from '../../src/core/identity/identity-key.js'
import { createRoost } from '../../src/core/roost.js'
import { rejectsWithCode, tempDir } from '../helpers/index.js'

async function offlineCore(t: import('brittle').Test, dataDir: string) {
  const core = await createRoost({ dataDir, offline: true })
  t.teardown(() => core.close(), { order: 0 })
  return core
}

test('a profile comes from 24 words, and the same words give it back elsewhere', async (t) => {
  const first = await offlineCore(t, await tempDir(t))
  const made = await first.init({ name: 'ada' })
  const phrase = await first.phrase()
  t.is(phrase.split(' ').length, 24, '24 words')
  t.ok(isValidPhrase(phrase), 'with a good checksum')
  const file = path.join(first.dataDir, 'profile.json')
  t.is((await fs.stat(file)).mode & 0o777, 0o600, 'kept in a file only its owner reads')

  const otherDir = await tempDir(t)
  const restored = await offlineCore(t, otherDir)
  const typed = '  ' + phrase.toUpperCase().split(' ').join('   ') + '\n'
  const again = await restored.init({ name: 'ada on her new laptop', phrase: typed })
  t.is(again.id, made.id, 'the same profile id, however the words were typed')
  t.is(await restored.phrase(), phrase, 'and the same words to show')

  const third = await offlineCore(t, await tempDir(t))
  const fresh = await third.init({ name: 'bea' })
  t.not(fresh.id, made.id, 'fresh words are another profile')
})

test('a wrong phrase is PHRASE_INVALID and writes nothing', async (t) => {
  const someone = await offlineCore(t, await tempDir(t))
  await someone.init({ name: 'x' })
  const phrase = await someone.phrase()
  const words = phrase.split(' ')
  const swapped = [words[1], words[0], ...words.slice(2)].join(' ')
  const bad = [
    '',
    'hello',
    words.slice(0, 12).join(' '), // a valid length elsewhere, not ours
    words.slice(0, 23).join(' '),
    swapped === phrase ? words.slice(1).concat('zoo').join(' ') : swapped,
    phrase + ' abandon',
    words.slice(0, 23).join(' ') + ' notaword',
    'x'.repeat(100_000)
  ]
  const dataDir = await tempDir(t)
  const core = await offlineCore(t, dataDir)
  for (const words of bad) {
    await rejectsWithCode(t, core.init({ name: 'mallory', phrase: words }), 'PHRASE_INVALID')
  }
  await rejectsWithCode(
    t,
    core.init({ name: 'mallory', phrase: 42 as unknown as string }),
    'INVALID_ARGUMENT'
  )
  t.is(await core.profile(), null, 'no profile')
  t.absent((await fs.readdir(dataDir)).includes('profile.json'), 'nothing written')
  await rejectsWithCode(t, core.phrase(), 'NOT_INITIALIZED')
})

test('a profile made before phrases keeps its id; its phrase is NO_PHRASE', async (t) => {
  const dataDir = await tempDir(t)
  const keyPair = crypto.keyPair()
  await fs.writeFile(
    path.join(dataDir, 'profile.json'),
    JSON.stringify({
      version: 1,
      name: 'old timer',
      publicKey: keyPair.publicKey.toString('hex'),
      secretKey: keyPair.secretKey.toString('hex')
    }),
    { mode: 0o600 }
  )
  const core = await offlineCore(t, dataDir)
  t.is((await core.profile())?.id, z32.encode(keyPair.publicKey), 'the same id as before')
  await rejectsWithCode(t, core.phrase(), 'NO_PHRASE')
  await core.setName('old timer, renamed')
  const saved = JSON.parse(await fs.readFile(path.join(dataDir, 'profile.json'), 'utf8'))
  t.is(saved.publicKey, keyPair.publicKey.toString('hex'), 'its keys are kept as they were')
  t.absent('phrase' in saved, 'and no phrase is made up for it')
  await rejectsWithCode(t, core.init({ name: 'again' }), 'ALREADY_INITIALIZED')
})
