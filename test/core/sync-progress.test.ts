import { EventEmitter } from 'events'
import test, { type Test } from 'brittle'
import type Autobase from 'autobase'
import type { RoomSyncing } from '../../src/shared/api/contract.js'
import { SyncProgress } from '../../src/core/rooms/sync-progress.js'

/** The parts of an autobase SyncProgress reads: writers with applied and known lengths. */
class FakeBase extends EventEmitter {
  activeWriters: Array<{ length: number; core: { length: number } }> = []
  fastForwarding = false
  isFastForwarding(): boolean {
    return this.fastForwarding
  }
  writer(applied: number, known: number): { length: number; core: { length: number } } {
    const w = { length: applied, core: { length: known } }
    this.activeWriters.push(w)
    return w
  }
}

function watch(
  t: Test,
  base: FakeBase
): { progress: SyncProgress; changes: Array<RoomSyncing | null> } {
  const progress = new SyncProgress(base as unknown as Autobase<unknown>)
  const changes: Array<RoomSyncing | null> = []
  progress.on('change', (state: RoomSyncing | null) => changes.push(state))
  progress.start()
  t.teardown(() => progress.stop())
  return { progress, changes }
}

test('a backlog shows as catching up with its blocks left and a percent that moves to the end', (t) => {
  const base = new FakeBase()
  const alice = base.writer(10, 10)
  const bob = base.writer(5, 5)
  const { progress, changes } = watch(t, base)
  t.is(progress.state, null, 'up to date')

  alice.core.length = 12 // a message or two arriving is a conversation, not a catch-up
  base.emit('update')
  t.is(progress.state, null, 'two blocks left does not show')

  alice.core.length = 1010
  bob.core.length = 105
  base.emit('update')
  t.alike(progress.state, { blocksLeft: 1100, percent: 0, fastForwarding: false })

  alice.length = 560
  base.emit('update')
  t.alike(progress.state, { blocksLeft: 550, percent: 50, fastForwarding: false }, 'half done')

  alice.length = 1010
  bob.length = 100
  base.emit('update')
  t.is(progress.state?.blocksLeft, 5, 'a few left still count once a catch-up runs')
  t.ok((progress.state?.percent ?? 0) >= 99, 'nearly done')

  bob.length = 105
  base.emit('update')
  t.is(progress.state, null, 'done: nothing left')
  t.is(changes.at(-1), null, 'and clients were told')
  t.is(changes.length, 4, 'one change event per new state')
})

test('a fast-forward shows as catching up before any block is applied', (t) => {
  const base = new FakeBase()
  base.writer(0, 0)
  const { progress } = watch(t, base)
  base.fastForwarding = true
  base.emit('update')
  t.alike(progress.state, { blocksLeft: 0, percent: 0, fastForwarding: true })
  base.fastForwarding = false
  base.emit('update')
  t.is(progress.state, null)
})
