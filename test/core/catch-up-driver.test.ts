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
