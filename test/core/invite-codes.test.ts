import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import { MAX_INVITE_NOTE_CHARS, RoostError } from '../../src/shared/api/errors.js'
import {
  createLoopbackTestnet,
  createPeer,
  rejectsWithCode,
  roomWithMembers,
  tempDir,
  until
} from '../helpers/index.js'

const OPTS = { timeout: 60_000 }

test('an invite made here lists its code and note again after the core reopens', async (t) => {
  const dataDir = await tempDir(t)
  const first = await createPeer(t, null, { dataDir, name: 'alice' })
  const room = (await first.createRoom({ name: 'general' })).id
  const made = await first.createInvite(room, { note: '  for Bob  ', uses: 2 })
  const plain = await first.createInvite(room)
  t.is(made.note, 'for Bob', 'the note comes back trimmed')
  t.is(plain.note, null, 'no note is null')
  await first.close()

  const again = await createPeer(t, null, { dataDir })
  const listed = new Map((await again.invites(room)).map((i) => [i.id, i]))
  t.is(listed.get(made.id)?.code, made.code, 'the code is listed after reopening')
  t.is(listed.get(made.id)?.link, made.link)
  t.is(listed.get(made.id)?.note, 'for Bob', 'the note round-trips')
  t.is(listed.get(plain.id)?.code, plain.code, 'each invite has its own code')
  const stat = await fs.stat(path.join(dataDir, 'invites.json'))
  t.is(stat.mode & 0o777, 0o600, 'invites.json is readable by its owner only')

  await again.revokeInvite(room, made.id)
  const revoked = (await again.invites(room)).find((i) => i.id === made.id)
  t.is(revoked?.code, null, 'a revoked invite has no code to copy')
  t.is(revoked?.note, 'for Bob', 'but keeps its note')
})

test('an overlong note is refused with NAME_TOO_LONG and makes no invite', async (t) => {
  const core = await createPeer(t, null, { name: 'alice' })
  const room = (await core.createRoom({ name: 'general' })).id
  const longest = 'n'.repeat(MAX_INVITE_NOTE_CHARS)
  t.is((await core.createInvite(room, { note: longest })).note, longest, 'the limit itself is fine')
  await rejectsWithCode(
    t,
    core.createInvite(room, { note: longest + 'n' }),
    'NAME_TOO_LONG',
    'one character more is refused'
  )
  await rejectsWithCode(
    t,
    core.createInvite(room, { note: 5 as unknown as string }),
    'INVALID_ARGUMENT',
    'a note that is not text is refused'
  )
  t.is((await core.invites(room)).length, 1, 'the refused ones made no invite')
})

test('another member sees the invite but not its code or note', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers
  const made = await alice.createInvite(room, { note: 'for Carol' })
  await until([alice, bob], async () => (await bob.invites(room)).some((i) => i.id === made.id))
  const seen = (await bob.invites(room)).find((i) => i.id === made.id)
  t.is(seen?.code, null, 'no code on the other member')
  t.is(seen?.link, null, 'no link either')
  t.is(seen?.note, null, 'nor the note')
  t.is((await alice.invites(room)).find((i) => i.id === made.id)?.code, made.code)
})

test('a damaged invites.json: a coded error naming it, the file and the room kept', async (t) => {
  const dataDir = await tempDir(t)
  const first = await createPeer(t, null, { dataDir, name: 'alice' })
  const room = (await first.createRoom({ name: 'general' })).id
  await first.createInvite(room)
  await first.close()
  const file = path.join(dataDir, 'invites.json')
  await fs.writeFile(file, '{"version": 1, "rooms": ')

  const core = await createPeer(t, null, { dataDir })
  for (const [what, call] of [
    ['invites', () => core.invites(room)],
    ['createInvite', () => core.createInvite(room)]
  ] as const) {
    try {
      await call()
      t.fail(`${what} resolved`)
    } catch (err) {
      t.ok(err instanceof RoostError, `${what}: a RoostError`)
      t.is((err as RoostError).code, 'DATA_FILE_CORRUPT', `${what}: DATA_FILE_CORRUPT`)
      t.ok((err as Error).message.includes(file), `${what}: the message names the file`)
    }
  }
  t.is(await fs.readFile(file, 'utf8'), '{"version": 1, "rooms": ', 'the file is not overwritten')
  await core.send(room, { text: 'still here' })
  t.is((await core.rooms()).length, 1, 'the room and messaging are unaffected')
  await fs.writeFile(file, '{"version": 1, "rooms": {}}')
  t.is((await core.invites(room)).length, 1, 'the refused createInvite added no invite to the room')
})

test('codes are sealed at rest: the file holds none, a v1 file is sealed, a foreign one refused', async (t) => {
  const dataDir = await tempDir(t)
  const first = await createPeer(t, null, { dataDir, name: 'alice' })
  const room = (await first.createRoom({ name: 'general' })).id
  const made = await first.createInvite(room, { note: 'for Bob' })
  await first.close()
  const file = path.join(dataDir, 'invites.json')
  const sealed = await fs.readFile(file, 'utf8')
  t.absent(sealed.includes(made.code ?? '?'), 'the code is not in invites.json')
  t.ok(sealed.includes('for Bob'), 'the note (a label) is')

  // an earlier Roost kept plain codes: they still list, and are sealed once read
  const plainFile = {
    version: 1,
    rooms: { [room]: { [made.id]: { code: made.code, note: null } } }
  }
  await fs.writeFile(file, JSON.stringify(plainFile))
  const again = await createPeer(t, null, { dataDir })
  t.is((await again.invites(room)).find((i) => i.id === made.id)?.code, made.code, 'a v1 code')
  t.absent((await fs.readFile(file, 'utf8')).includes(made.code ?? '?'), 'now sealed on disk')
  await again.close()

  // another identity's sealed file (copied in) opens to nothing: a coded error, file kept
  const otherDir = await tempDir(t)
  const other = await createPeer(t, null, { dataDir: otherDir, name: 'mallory' })
  const otherRoom = (await other.createRoom({ name: 'x' })).id
  await other.createInvite(otherRoom)
  await other.close()
  const foreign = await fs.readFile(path.join(otherDir, 'invites.json'), 'utf8')
  await fs.writeFile(file, foreign)
  const third = await createPeer(t, null, { dataDir })
  await rejectsWithCode(t, third.invites(room), 'DATA_FILE_CORRUPT', 'a foreign file is refused')
  t.is(await fs.readFile(file, 'utf8'), foreign, 'and not overwritten')
})
