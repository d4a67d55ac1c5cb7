// Issue 16: a member coming back while only the blind peer is online must always catch up, and
// by fast-forwarding (the newest messages at once), not by applying the whole backlog itself.
//
// Ten returns in a row. Each time alice writes a backlog and goes offline as soon as the blind
// peer holds her writer core (a user who sends and quits), then bob reopens his data dir with
// nobody but the blind peer to get anything from.
//
// The backlog (BACKLOG messages, about twice as many system blocks) is well past autobase's
// fast-forward threshold of 16 blocks, so a return that does not fast-forward is the
// non-fast-forward path. On the code before the fix, alice's close cut the blind peer off a few
// blocks short of her system and view tips; bob then saw a signed length he could not fetch,
// the fast-forward failed after its 5 s timeout and autobase applied everything itself (and
// would not try again for 5 minutes).
import test from 'brittle'
import {
  allMessages,
  bootstrapOf,
  createLoopbackTestnet,
  createPeer,
  tempDir,
  until
} from '../helpers/index.js'
import { startBlindPeer } from '../helpers/processes.js'

const RETURNS = 10
const BACKLOG = 60

test(
  'ten returns with only the blind peer online: each catches up exactly, by fast-forward',
  {
    timeout: 120_000
  },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const daemon = await startBlindPeer(t, await tempDir(t), bootstrapOf(testnet))
    const aliceDir = await tempDir(t)
    const bobDir = await tempDir(t)

    let alice = await createPeer(t, testnet, { name: 'alice', dataDir: aliceDir })
    const room = (await alice.createRoom({ name: 'holiday' })).id
    await alice.addMirror(room, daemon.key)
    await alice.flush()
    const bob = await createPeer(t, testnet, { name: 'bob', dataDir: bobDir })
    await bob.join((await alice.createInvite(room)).code as string)
    await until([bob], async () => (await bob.room(room)).writable)
    await bob.close()

    const expected: string[] = []
    let fastForwarded = 0
    for (let round = 0; round < RETURNS; round++) {
      if (round > 0) alice = await createPeer(t, testnet, { dataDir: aliceDir })
      for (let i = 0; i < BACKLOG; i++) {
        const text = `return ${round} message ${i}`
        await alice.send(room, { text })
        expected.push(text)
      }
      const writer = alice.roomEngine(room).base.local.length
      await until([alice], async () => {
        const [mirror] = await alice.mirrors(room)
        return mirror !== undefined && mirror.syncedLength >= writer
      })
      await alice.close()

      const back = await createPeer(t, testnet, { dataDir: bobDir })
      await until([back], async () => (await back.room(room)).messageCount === expected.length)
      const texts = (await allMessages(back, room)).map((m) => m.text)
      t.alike(
        texts,
        expected,
        `return ${round}: all ${expected.length} messages, in order, once each`
      )
      const engine = back.roomEngine(room)
      if (engine.fastForwards > 0) fastForwarded++
      t.ok(
        engine.fastForwards > 0,
        `return ${round}: bob fast-forwarded (${engine.fastForwards}, retries ${engine.catchUp.fastForwardRetries})`
      )
      const peers = (await back.status()).rooms.flatMap((r) => r.peers.map((p) => p.id))
      t.alike(peers, [daemon.key], `return ${round}: the blind peer was bob's only peer`)
      await back.close()
    }
    t.comment(`fast-forwarded on ${fastForwarded} of ${RETURNS} returns`)
  }
)
