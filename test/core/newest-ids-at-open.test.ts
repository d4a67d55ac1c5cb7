import test, { type Test } from 'brittle'
import Corestore from 'corestore'
import HyperDB from 'hyperdb'
import dbSpec from '../../src/core/rooms/spec/db/index.js'
import { NewestIdsAtOpen } from '../../src/core/rooms/newest-ids-at-open.js'
import { tempDir } from '../helpers/index.js'

/** A view whose blocks only a peer had: its writer, replicated once for the length, then gone. */
/** What this test needs of a hypercore beyond the project's typings. */
interface ReplicatedCore {
  key: Buffer
  length: number
  ready(): Promise<void>
  update(opts: { wait: boolean }): Promise<boolean>
  has(index: number): Promise<boolean>
}
type Stream = NodeJS.ReadWriteStream & { destroy(): void }

async function sparseView(t: Test): Promise<HyperDB> {
  const writerStore = new Corestore(await tempDir(t))
  const readerStore = new Corestore(await tempDir(t))
  t.teardown(() => readerStore.close(), { order: 10 })
  const source = writerStore.get({ name: 'view' })
  const written = HyperDB.bee(source, dbSpec, { extension: false })
  await written.ready()
  await written.insert('@roost/counters', { name: 'messages', value: 3 })
  await written.flush()

  const copy = readerStore.get({ key: source.key }) as unknown as ReplicatedCore
  await copy.ready()
  const a = writerStore.replicate(true) as Stream
  const b = readerStore.replicate(false) as Stream
  a.pipe(b).pipe(a)
  await copy.update({ wait: true })
  a.destroy()
  b.destroy()
  await written.close()
  await writerStore.close()
  const view = HyperDB.bee(copy as never, dbSpec, { extension: false })
  t.teardown(() => view.close(), { order: 5 })
  await view.ready()
  return view
}

test('a room closing frees the open snapshot without waiting for a read no peer can answer', async (t) => {
  const view = await sparseView(t)
  const core = view.core as unknown as ReplicatedCore
  t.ok(core.length > 0, 'the view has a length')
  t.absent(await core.has(core.length - 1), 'but not its blocks')

  const atOpen = new NewestIdsAtOpen(view, 256)
  const reading = atOpen.read()
  let settled = false
  reading.then(
    () => (settled = true),
    () => (settled = true)
  )
  await new Promise((resolve) => setImmediate(resolve))
  t.absent(settled, 'the read waits for a block from a peer')

  await atOpen.release() // hung here when release awaited the read
  await t.exception(reading, 'the read is cancelled')
})
