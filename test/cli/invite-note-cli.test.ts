import path from 'path'
import test from 'brittle'
import { tempDir } from '../helpers/index.js'
import { runRoost } from '../helpers/processes.js'

test('roost invite --note: `invites` lists the note and the code again', async (t) => {
  const alice = ['--data', path.join(await tempDir(t), 'alice')]
  t.is((await runRoost(t, [...alice, 'init', '--name', 'alice'])).code, 0, 'init')
  t.is((await runRoost(t, [...alice, 'create', 'general'])).code, 0, 'create')
  const made = await runRoost(t, [...alice, 'invite', 'general', '--note', 'for Bob'])
  t.is(made.code, 0, 'invite --note')
  const [code] = made.lines
  const listed = await runRoost(t, [...alice, 'invites', 'general'])
  t.is(listed.lines.length, 1, 'one invite')
  t.ok(listed.lines[0].includes('"for Bob"'), 'the line shows the note')
  t.ok(listed.lines[0].endsWith(`  ${code}`), 'and the code, to share again')
  const long = await runRoost(t, [...alice, 'invite', 'general', '--note', 'x'.repeat(101)])
  t.not(long.code, 0, 'an overlong note fails')
  t.ok(long.stderr.includes('NAME_TOO_LONG'), 'with its code')
})
