import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import { tempDir } from '../helpers/index.js'
import { runRoost, startBootstrapNode } from '../helpers/processes.js'

test('roost init, phrase and restore: the same profile from its 24 words', async (t) => {
  const bootstrap = await startBootstrapNode(t)
  const dir = await tempDir(t)
  const args = (name: string) => [
    '--data',
    path.join(dir, name),
    '--bootstrap',
    bootstrap,
    '--host',
    '127.0.0.1'
  ]
  const init = await runRoost(t, [...args('laptop'), '--json', 'init', '--name', 'ada'])
  t.is(init.code, 0, 'init: ' + init.stderr)
  t.ok(init.stderr.includes('roost phrase'), 'init says where the words are')
  const profile = JSON.parse(init.lines[0]) as { id: string }
  const shown = await runRoost(t, [...args('laptop'), 'phrase'])
  t.is(shown.code, 0, 'phrase: ' + shown.stderr)
  const phrase = shown.lines[0]
  t.is(phrase.split(' ').length, 24, 'prints the 24 words on one line')
  t.ok(shown.stderr.includes('keep them offline'), 'with a warning beside them')

  // a wrong phrase: a coded error, exit 1, nothing written
  const words = phrase.split(' ')
  const wrong = [words[0], ...words.slice(0, 22), 'zoo'].join(' ')
  const refused = await runRoost(t, [...args('bad'), 'restore', '--name', 'ada'], {}, wrong + '\n')
  t.is(refused.code, 1, 'a wrong phrase: exit 1')
  t.ok(refused.stderr.includes('PHRASE_INVALID'), 'PHRASE_INVALID: ' + refused.stderr)
  const badDir = await fs.readdir(path.join(dir, 'bad')).catch(() => [] as string[])
  t.absent(badDir.includes('profile.json'), 'no profile written')

  const restored = await runRoost(
    t,
    // nobody keeps this profile's record here: the restore gives up on it after --timeout
    [...args('phone'), '--json', 'restore', '--name', 'ada', '--timeout', '1s'],
    {},
    phrase + '\n'
  )
  t.is(restored.code, 0, 'restore: ' + restored.stderr)
  t.is((JSON.parse(restored.lines[0]) as { id: string }).id, profile.id, 'the same profile id')
  const again = await runRoost(t, [...args('phone'), 'restore', '--name', 'ada'], {}, phrase)
  t.is(again.code, 1, 'not over a profile that is there')
  t.ok(again.stderr.includes('ALREADY_INITIALIZED'), again.stderr)
  const usage = await runRoost(t, [...args('phone'), 'restore', '--timeout', 'soon'])
  t.is(usage.code, 2, 'a usage error: ' + usage.stderr)
})
