import test from 'brittle'
import type Autobase from 'autobase'
import { WakeupNudge } from '../../src/core/rooms/wakeup-nudge.js'

interface FakePeer {
  pending: boolean
  told: Array<Array<{ key: Buffer; length: number }>>
}

/** What the nudge reads of autobase 7.28.1: lengths, whether it applies, its wakeup session. */
class FakeBase {
  updating = false
  indexedLength: number
  core: { opened: boolean; length: number }
  lookups = 0
  peers: FakePeer[] = []
  wakeupSession = {
    peers: this.peers,
    announce: (peer: FakePeer, wakeup: Array<{ key: Buffer; length: number }>) =>
      peer.told.push(wakeup),
    broadcastLookup: () => {
      this.lookups++
    }
  }
  constructor(indexed: number, applied: number) {
    this.indexedLength = indexed
    this.core = { opened: true, length: applied }
  }
  _getWakeup(): Array<{ key: Buffer; length: number }> {
    return [{ key: Buffer.alloc(32, 7), length: this.core.length }]
  }
}

test('a tip no indexer orders is announced again to every ready peer, only while stuck', (t) => {
  const base = new FakeBase(231, 417)
  const nudge = new WakeupNudge(base as unknown as Autobase<unknown>)
  const ready: FakePeer = { pending: false, told: [] }
  const pending: FakePeer = { pending: true, told: [] }

  nudge.check()
  nudge.check()
  t.is(nudge.nudges, 0, 'no peer to tell: nothing to do')
  base.peers.push(ready, pending)
  nudge.check()
  t.is(nudge.nudges, 1, 'stuck with a peer connected: announced again')
  t.is(ready.told.length, 1, 'to the ready peer')
  t.is(pending.told.length, 0, 'not to one whose channel is pending')
  t.is(base.lookups, 1, 'and theirs asked for')

  base.indexedLength = 300
  nudge.check()
  base.indexedLength = 350
  nudge.check()
  t.is(nudge.nudges, 1, 'an indexed length that moves is being ordered')
  base.updating = true
  nudge.check()
  nudge.check()
  t.is(nudge.nudges, 1, 'nor while autobase applies')
  base.updating = false
  base.indexedLength = 417
  nudge.check()
  nudge.check()
  t.is(nudge.nudges, 1, 'everything ordered: quiet')
})
