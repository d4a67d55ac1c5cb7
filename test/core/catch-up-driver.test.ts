import test from 'brittle'
import type Autobase from 'autobase'
import { CatchUpDriver } from '../../src/core/rooms/catch-up-driver.js'

/** The parts of autobase 7.28.1 a divergence repair touches: fast-forward state and the call. */
class FakeBase {
  closing: Promise<void> | null = null
  fastForwardFailedAt = 0
  fastForwarding = false
  forced = 0
  private _finish: (() => void) | null = null
  isFastForwarding(): boolean {
    return this.fastForwarding
  }
  forceFastForward(): Promise<void> {
    this.forced++
    return new Promise((resolve) => {
      this._finish = resolve
    })
  }
  finish(): Promise<void> {
    this._finish?.()
    this._finish = null
    return new Promise((resolve) => setImmediate(resolve))
  }
}

function invalidSignature(): Error {
  return Object.assign(new Error('INVALID_SIGNATURE: Proof contains an invalid signature'), {
    code: 'INVALID_SIGNATURE'
  })
}

test('a view the indexers signed otherwise is fast-forwarded back, once at a time', async (t) => {
  const base = new FakeBase()
  const driver = new CatchUpDriver(base as unknown as Autobase<unknown>)

  driver.onWarning(new Error('Update expects writer to be consumed here'))
  driver.onWarning(Object.assign(new Error('closed'), { code: 'SESSION_CLOSED' }))
  t.is(base.forced, 0, 'other warnings are left alone')

  driver.onWarning(invalidSignature())
  t.is(base.forced, 1, 'a signed state our view does not match: fast-forward to it')
  driver.onWarning(invalidSignature())
  t.is(base.forced, 1, 'not again while that one runs')

  await base.finish()
  driver.onWarning(invalidSignature())
  t.is(base.forced, 2, 'again once it has ended and the view still differs')
  t.is(driver.divergenceRepairs, 2)
  await base.finish()

  base.fastForwarding = true
  driver.onWarning(invalidSignature())
  t.is(base.forced, 2, 'not during a fast-forward autobase runs itself')
  base.fastForwarding = false
  base.closing = Promise.resolve()
  driver.onWarning(invalidSignature())
  t.is(base.forced, 2, 'nor once the room closes')
})

/** A base whose applied system has signed `applied` of the `signed` blocks the indexers signed. */
class LaggingBase extends FakeBase {
  updating = false
  system: { core: { signedLength: number } }
  core: {
    opened: boolean
    contiguousLength: number
    core: { state: { length: number } }
    peers: Array<{ remoteContiguousLength: number }>
  }
  constructor(applied: number, signed: number, have: number) {
    super()
    this.system = { core: { signedLength: applied } }
    this.core = {
      opened: true,
      contiguousLength: have,
      core: { state: { length: signed } },
      peers: []
    }
  }
}

test('a signed length stuck above what we applied is repaired, once someone can serve it', async (t) => {
  const base = new LaggingBase(79, 425, 79)
  const driver = new CatchUpDriver(base as unknown as Autobase<unknown>)

  driver.checkDivergence()
  driver.checkDivergence()
  t.is(base.forced, 0, 'stuck, but no one holds the signed blocks: no fast-forward bound to fail')
  base.core.peers.push({ remoteContiguousLength: 425 })
  driver.checkDivergence()
  t.is(base.forced, 1, 'a peer holding them: fast-forward to the signed state')
  await base.finish()

  base.system.core.signedLength = 100
  driver.checkDivergence()
  base.system.core.signedLength = 120
  driver.checkDivergence()
  t.is(base.forced, 1, 'a signed length that moves is catching up, not stuck')
  base.updating = true
  driver.checkDivergence()
  driver.checkDivergence()
  t.is(base.forced, 1, 'nor while autobase is applying')
  base.updating = false
  base.core.contiguousLength = 425
  base.core.peers = []
  driver.checkDivergence()
  driver.checkDivergence()
  t.is(base.forced, 2, 'the blocks held here are enough')
  t.is(driver.divergenceRepairs, 2)
  await base.finish()
})
