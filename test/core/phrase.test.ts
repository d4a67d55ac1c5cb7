import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import { isValidPhrase } from '../../src/core/identity/identity-key.js'
import { createRoost } from '../../src/core/roost.js'
import {
  createLoopbackTestnet,
  createPeer,
  rejectsWithCode,
  roomWithMembers,
  tempDir,
  until
} from '../helpers/index.js'

const OPTS = { timeout: 120_000 }

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

test(
  'a profile restored from its words joins its room again as the same member',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['ada', 'bob'])
    const [ada, bob] = peers
    const phrase = await bob.phrase()
    const bobId = (await bob.profile())?.id as string
    await bob.send(room, { text: 'from the old laptop' })
    await bob.close() // the laptop is lost

    const restored = await createPeer(t, testnet)
    t.is((await restored.init({ name: 'bob', phrase })).id, bobId, 'the same profile')
    const invite = await ada.createInvite(room, { forProfile: bobId })
    await restored.join(invite.code as string)
    await until([restored], async () => (await restored.room(room)).writable)
    await until([restored], async () =>
      (await restored.messages(room)).messages.some((m) => m.text === 'from the old laptop')
    )
    t.pass('with the history, the old laptop’s messages too')
    const members = await ada.members(room)
    t.is(members.filter((m) => m.id === bobId).length, 1, 'one member, not two')
    const sent = await restored.send(room, { text: 'from the new one' })
    await until([ada], async () =>
      (await ada.messages(room)).messages.some((m) => m.id === sent.id)
    )
    const seen = (await ada.messages(room)).messages.find((m) => m.id === sent.id)
    t.is(seen?.author, bobId, 'authored by the same person')
  }
)
