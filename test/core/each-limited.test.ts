import test from 'brittle'
import { eachLimited } from '../../src/shared/util/each-limited.js'

/** A call that stays open until released, to watch how many run at once. */
function gate(): { promise: Promise<void>; release: () => void } {
  let release = (): void => {}
  const promise = new Promise<void>((resolve) => (release = resolve))
  return { promise, release }
}

test('eachLimited runs every item, never more than the limit at once', async (t) => {
  const items = Array.from({ length: 10 }, (_, i) => i)
  const gates = items.map(() => gate())
  const done: number[] = []
  let running = 0
  let most = 0
  const all = eachLimited(items, 3, async (i) => {
    running++
    most = Math.max(most, running)
    await gates[i].promise
    running--
    done.push(i)
  })
  for (const g of gates) {
    await Promise.resolve()
    g.release()
    await new Promise((resolve) => setImmediate(resolve))
  }
  await all
  t.is(most, 3, 'three at a time')
  t.alike(
    [...done].sort((a, b) => a - b),
    items,
    'each item once'
  )
})

test('eachLimited waits for the calls in flight, then throws the first failure', async (t) => {
  const slow = gate()
  let slowFinished = false
  let started = 0
  const all = eachLimited([0, 1, 2, 3], 2, async (i) => {
    started++
    if (i === 0) {
      await slow.promise
      slowFinished = true
      return
    }
    if (i === 1) throw new Error('room 1 failed')
  })
  let settled = false
  all.catch(() => {}).finally(() => (settled = true))
  await new Promise((resolve) => setImmediate(resolve))
  t.absent(settled, 'not settled while a call is in flight')
  slow.release()
  await t.exception(all, /room 1 failed/)
  t.ok(slowFinished, 'the call in flight finished first')
  t.is(started, 2, 'no item started after the failure')
})
