import test from 'brittle'
import Corestore from 'corestore'
import HyperDB from 'hyperdb'
import dbSpec from '../../src/core/rooms/spec/db/index.js'
import { shareSnapshotCaches } from '../../src/core/rooms/view-tree-cache.js'
import { tempDir } from '../helpers/index.js'

const NAMES = Array.from({ length: 300 }, (_, i) => `counter-${String(i).padStart(3, '0')}`)

async function value(db: HyperDB, name: string): Promise<number | null> {
  const record = await db.get<{ value: number }>('@roost/counters', { name })
  return record === null ? null : record.value
}

async function values(db: HyperDB): Promise<Array<number | null>> {
  const all: Array<number | null> = []
  for (const name of NAMES) all.push(await value(db, name))
  return all
}

async function write(db: HyperDB, name: string, v: number): Promise<void> {
  await db.insert('@roost/counters', { name, value: v })
  await db.flush()
}

test('view snapshots share the tree cache, and a truncation never serves an undone block', async (t) => {
  const store = new Corestore(await tempDir(t))
  t.teardown(() => store.close())
  const core = store.get({ name: 'view' })
  const db = shareSnapshotCaches(HyperDB.bee(core, dbSpec, { extension: false, autoUpdate: true }))
  t.teardown(() => db.close(), { order: -1 })
  await db.ready()

  // a tree some levels deep, each record in its own flush (a new snapshot each time, as apply does)
  for (const [i, name] of NAMES.entries()) await write(db, name, i)
  t.alike(
    await values(db),
    NAMES.map((_, i) => i),
    'every record reads back'
  )

  const reads = (): number =>
    (store as unknown as { storage: { db: RocksStats } }).storage.db._state.stats.gets
  const before = reads()
  await write(db, 'counter-999', 1) // a new snapshot: the tree below it is already cached
  for (const name of NAMES.slice(0, 50)) await value(db, name)
  t.ok(
    reads() - before < 50,
    `50 reads of known records after a flush touch storage ${reads() - before} times, not once per tree level`
  )

  // a change that autobase undoes: truncated away, then other content at the same blocks
  const length = core.length
  await write(db, 'counter-150', 999)
  const undone = db.snapshot() // a reader still holding the undone state
  t.is(await value(undone, 'counter-150'), 999)
  await (core as unknown as { truncate(n: number): Promise<void> }).truncate(length)
  t.is(await value(db, 'counter-150'), 150, 'the truncation is seen')
  await write(db, 'counter-150', 777)
  // the old snapshot reads its own blocks (or finds them gone); either way it caches nothing
  await value(undone, 'counter-150').catch(() => null)
  await undone.close()
  t.is(await value(db, 'counter-150'), 777, 'the block rewritten after the truncation')
  const expected = NAMES.map((_, i) => (i === 150 ? 777 : i))
  t.alike(await values(db), expected, 'and every other record as it was')
})

interface RocksStats {
  _state: { stats: { gets: number } }
}
