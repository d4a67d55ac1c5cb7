import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import { createRoost, type Roost } from '../../src/core/roost.js'
import { allMessages, rejectsWithCode } from '../helpers/index.js'
import { runRoost } from '../helpers/processes.js'
import { smallDisk } from '../helpers/small-disk.js'

async function freeBytes(dir: string): Promise<number> {
  const stats = await fs.statfs(dir)
  return stats.bavail * stats.bsize
}

/** Fills the disk up to `leave` bytes free with one file; returns its path. */
async function fill(dir: string, leave: number): Promise<string> {
  const filler = path.join(dir, 'filler')
  const size = Math.max(0, (await freeBytes(dir)) - leave)
  try {
    await fs.writeFile(filler, Buffer.alloc(size))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err // full already: as wanted
  }
  return filler
}

function open(dataDir: string): Promise<Roost> {
  return createRoost({ dataDir, offline: true })
}

test('a full disk: send fails with DISK_FULL, nothing acknowledged is lost; the room answers DISK_FULL and the core keeps working until a restart, then the room works', async (t) => {
  const disk = await smallDisk(t)
  if (disk === null) {
    t.comment('needs root and Linux to mount a small tmpfs')
    return
  }
  const dataDir = path.join(disk, 'alice')
  let alice = await open(dataDir)
  t.teardown(() => alice.close())
  await alice.init({ name: 'alice' })
  const room = (await alice.createRoom({ name: 'general' })).id
  const acked: string[] = [(await alice.send(room, { text: 'before the disk filled' })).id]

  const filler = await fill(disk, 256 * 1024)
  let failure: unknown = null
  for (let i = 0; i < 10_000 && failure === null; i++) {
    try {
      acked.push((await alice.send(room, { text: `filling ${i} ` + 'x'.repeat(2000) })).id)
    } catch (err) {
      failure = err
    }
  }
  t.comment(`${acked.length} sends acknowledged before the disk was full`)
  t.is((failure as { code?: unknown } | null)?.code, 'DISK_FULL', 'the failing send is DISK_FULL')
  t.ok(
    /full/.test((failure as Error | null)?.message ?? ''),
    (failure as Error | null)?.message ?? 'no error'
  )
  await rejectsWithCode(t, alice.send(room, { text: 'still full' }), 'DISK_FULL', 'and the next')

  await fs.rm(filler)
  // the room's base stopped for good: until a restart, the room answers with the coded error and
  // the rest of the core keeps working
  await rejectsWithCode(t, alice.send(room, { text: 'space again' }), 'DISK_FULL', 'send, freed')
  await rejectsWithCode(t, alice.messages(room, { limit: 5 }), 'DISK_FULL', 'reading the room')
  const listed = await alice.rooms()
  t.alike(
    listed.map((r) => [r.id, r.name, r.writable]),
    [[room, 'general', false]],
    'the room list still shows the room, as it last was, not writable'
  )
  t.is((await alice.status()).profile?.name, 'alice', 'status answers')
  t.is((await alice.setName('alice b')).name, 'alice b', 'a rename works')
  await alice.close()
  alice = await open(dataDir)
  const ids = (await allMessages(alice, room)).map((m) => m.id)
  t.alike(
    acked.filter((id) => !ids.includes(id)),
    [],
    'every acknowledged send is there after the restart'
  )
  t.is(new Set(ids).size, ids.length, 'none twice')
  t.alike(
    ids.filter((id) => acked.includes(id)),
    acked,
    'in the order they were sent'
  )
  const after = await alice.send(room, { text: 'after freeing space' })
  t.is((await allMessages(alice, room)).at(-1)?.id, after.id, 'the room takes new messages again')
})

test('a core cannot open on a full disk: DISK_FULL (API and CLI), and it opens intact once there is space', async (t) => {
  const disk = await smallDisk(t)
  if (disk === null) {
    t.comment('needs root and Linux to mount a small tmpfs')
    return
  }
  const dataDir = path.join(disk, 'alice')
  const first = await open(dataDir)
  await first.init({ name: 'alice' })
  const room = (await first.createRoom({ name: 'general' })).id
  const sent = await first.send(room, { text: 'kept' })
  await first.close()

  const filler = await fill(disk, 0)
  t.is(await freeBytes(disk), 0, 'the disk is full')
  await rejectsWithCode(t, open(dataDir), 'DISK_FULL', 'opening the core fails with DISK_FULL')
  const cli = await runRoost(t, ['--data', dataDir, 'send', 'general', 'no room for me'])
  t.is(cli.code, 1, 'roost send exits 1')
  t.ok(cli.stderr.includes('error DISK_FULL'), cli.stderr.trim())

  await fs.rm(filler)
  const again = await open(dataDir)
  t.teardown(() => again.close())
  t.alike(
    (await allMessages(again, room)).map((m) => m.text),
    ['kept'],
    'the data dir is intact'
  )
  t.is((await allMessages(again, room))[0].id, sent.id)
})

test('a core cannot open with a few KiB left (RocksDB fails writing its table): DISK_FULL', async (t) => {
  const disk = await smallDisk(t)
  if (disk === null) return
  const dataDir = path.join(disk, 'alice')
  const first = await open(dataDir)
  await first.init({ name: 'alice' })
  const room = (await first.createRoom({ name: 'general' })).id
  for (let i = 0; i < 30; i++) await first.send(room, { text: 'x'.repeat(1500) })
  await first.close()
  await fill(disk, 16 * 1024)
  await rejectsWithCode(t, open(dataDir), 'DISK_FULL')
})
