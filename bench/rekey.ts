// The cost of re-keying a room when a member is removed: bytes of the rotation record and time
// from removeMember() to another member reading a message written under the new epoch.
// A room of 50 members: three real cores (alice the admin, bob, carol) and 47 members alice
// admits with crafted member-adds (each with its own writer and box key, as a joiner sends).
import crypto from 'hypercore-crypto'
import fs from 'fs/promises'
import createTestnet from 'hyperdht/testnet.js'
import z32 from 'z32'
import { createRoost, type Roost } from '../src/core/roost.js'
import { encodeOp, memberBinding, ROLE } from '../src/core/rooms/ops.js'
import { log, nowNs, nsToMs, tempDir, untilRoost } from './lib.js'

const MEMBERS = 50
const ROUNDS = 5

async function main(): Promise<void> {
  const testnet = await createTestnet(3, { host: '127.0.0.1' })
  const bootstrap = testnet.bootstrap.map((n) => `${n.host}:${n.port}`)
  const peers: Roost[] = []
  const dirs: string[] = []
  const peer = async (name: string): Promise<Roost> => {
    const dataDir = await tempDir('rekey')
    dirs.push(dataDir)
    const roost = await createRoost({ dataDir, bootstrap, host: '127.0.0.1' })
    await roost.init({ name })
    peers.push(roost)
    return roost
  }
  try {
    const alice = await peer('alice')
    const bob = await peer('bob')
    const { id: room } = await alice.createRoom({ name: 'fifty' })
    await alice.flush()
    await bob.join((await alice.createInvite(room)).code as string)

    const engine = alice.roomEngine(room)
    const invite = await alice.createInvite(room)
    const inviteId = z32.decode(invite.id)
    const synthetic: Buffer[] = []
    const ops: Buffer[] = []
    for (let i = 0; i < MEMBERS - 2; i++) {
      const profile = crypto.keyPair()
      const writer = crypto.keyPair().publicKey
      synthetic.push(profile.publicKey)
      ops.push(
        encodeOp('@roost/member-add', {
          writer,
          profile: profile.publicKey,
          name: 'member ' + i,
          role: ROLE.MEMBER,
          signature: crypto.sign(memberBinding(engine.discoveryKey, writer), profile.secretKey),
          inviteId,
          timestamp: Date.now(),
          boxKey: crypto.keyPair().publicKey
        })
      )
    }
    await engine.base.append(ops)
    await untilRoost(bob, async () => (await bob.members(room)).length === MEMBERS, 60_000)
    log(`rekey: a room of ${(await alice.members(room)).length} members`)

    const rounds: Array<{ bytes: number; boxes: number; removeMs: number; readMs: number }> = []
    for (let r = 0; r < ROUNDS; r++) {
      const target = synthetic[r]
      // what the removal adds to alice's writer core: the member-remove and the rotation
      const local = engine.base.local as unknown as { byteLength: number }
      const bytesBefore = local.byteLength
      const start = nowNs()
      await alice.removeMember(room, z32.encode(target))
      const removed = nowNs()
      const written = local.byteLength - bytesBefore
      const text = 'after removal ' + r
      await alice.send(room, { text })
      await untilRoost(
        bob,
        async () => (await bob.messages(room, { limit: 5 })).messages.some((m) => m.text === text),
        60_000
      )
      const read = nowNs()
      const current = await engine.currentEpoch()
      const boxes = current === null ? 0 : (await engine.epochBoxWriters(current.id)).length
      rounds.push({
        bytes: written,
        boxes,
        removeMs: nsToMs(removed - start),
        readMs: nsToMs(read - start)
      })
      log(
        `rekey round ${r + 1}: removal + rotation ${rounds[r].bytes} B for ${boxes} devices; ` +
          `removeMember ${rounds[r].removeMs.toFixed(1)} ms; ` +
          `bob reads the first new message ${rounds[r].readMs.toFixed(1)} ms after the removal began`
      )
    }
    const median = (xs: number[]): number =>
      [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
    const figures = {
      'roost.rekey.members': MEMBERS,
      'roost.rekey.bytes': median(rounds.map((x) => x.bytes)),
      'roost.rekey.bytesPerDevice': median(rounds.map((x) => x.bytes / x.boxes)),
      'roost.rekey.removeMs': median(rounds.map((x) => x.removeMs)),
      'roost.rekey.firstReadMs': median(rounds.map((x) => x.readMs))
    }
    for (const [k, v] of Object.entries(figures)) log(`${k}: ${Number(v).toFixed(1)}`)
    console.log(JSON.stringify(figures))
  } finally {
    for (const p of peers.reverse()) await p.close()
    await testnet.destroy()
    for (const dir of dirs) await fs.rm(dir, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error('failed:', err)
  process.exit(1)
})
