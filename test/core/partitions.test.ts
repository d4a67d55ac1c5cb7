import test from 'brittle'
import { createRoost, type Roost } from '../../src/core/roost.js'
import {
  allMessages,
  bootstrapOf,
  createLoopbackTestnet,
  roomWithMembers,
  until,
  type Testnet
} from '../helpers/index.js'

const TOTAL = 1000
const SEED = Number(process.env.ROOST_TEST_SEED ?? 20261201)

/** mulberry32: a small seeded PRNG, so a failing schedule can be replayed with its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = a
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/** One member: its current core, and a lock its writes and its restarts take in turn. */
const SENDS_AT_ONCE = 5

class Member {
  roost: Roost
  readonly name: string
  private _lock: Promise<void>

  constructor(name: string, roost: Roost) {
    this.name = name
    this.roost = roost
    this._lock = Promise.resolve()
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this._lock.then(fn)
    this._lock = run.then(
      () => {},
      () => {}
    )
    return run
  }
}

test(
  'partitions and restarts while three members write 1,000 messages: all end with the same 1,000, once each, in one order',
  { timeout: 300_000 },
  async (t) => {
    const random = prng(SEED)
    const testnet: Testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'carol'])
    const members = peers.map((p, i) => new Member(['alice', 'bob', 'carol'][i], p))
    t.teardown(() => Promise.all(members.map((m) => m.roost.close())), { order: 0 })

    const acked: string[] = []
    let written = 0
    let wake: (() => void) | null = null
    const started = Date.now()

    const writer = async (member: Member, count: number): Promise<void> => {
      // a few sends at a time, as a person typing fast or a paste does (they share a WAL sync)
      for (let i = 0; i < count; i += SENDS_AT_ONCE) {
        const texts: string[] = []
        for (let j = i; j < Math.min(count, i + SENDS_AT_ONCE); j++)
          texts.push(`${member.name} ${j}`)
        const sent = await member.exclusive(() =>
          Promise.all(texts.map((text) => member.roost.send(room, { text })))
        )
        for (const message of sent) acked.push(message.id)
        written += sent.length
        wake?.()
      }
    }
    const untilWritten = (n: number): Promise<void> =>
      new Promise((resolve) => {
        const check = (): void => {
          if (written < n && written < TOTAL) return
          wake = null
          resolve()
        }
        wake = check
        check()
      })

    let partitions = 0
    let restarts = 0
    let restartMs = 0
    const chaos = async (): Promise<void> => {
      while (written < TOTAL) {
        await untilWritten(written + 10 + Math.floor(random() * 50))
        if (written >= TOTAL) return
        const member = members[Math.floor(random() * members.length)]
        if (random() < 0.6) {
          // a partition: every connection of this member's room dropped (Hyperswarm redials)
          for (const connection of member.roost.roomEngine(room).connections) connection.destroy()
          partitions++
        } else {
          await member.exclusive(async () => {
            const before = Date.now()
            const { dataDir } = member.roost
            await member.roost.close()
            member.roost = await createRoost({
              dataDir,
              bootstrap: bootstrapOf(testnet),
              host: '127.0.0.1',
              offline: false
            })
            restartMs += Date.now() - before
            restarts++
          })
        }
      }
    }

    const share = Math.floor(TOTAL / members.length)
    await Promise.all([
      ...members.map((m, i) => writer(m, i === 0 ? TOTAL - share * (members.length - 1) : share)),
      chaos()
    ])
    const wroteMs = Date.now() - started
    t.is(acked.length, TOTAL, `${TOTAL} sends acknowledged`)
    t.is(new Set(acked).size, TOTAL, 'each with its own id')

    const converging = Date.now()
    const lists = (): Promise<string[][]> =>
      Promise.all(members.map(async (m) => (await allMessages(m.roost, room)).map((x) => x.id)))
    await until(
      members.map((m) => m.roost),
      async () => {
        // every acknowledged send everywhere, and one order: the asserts below say what else
        const [a, ...others] = await lists()
        const have = new Set(a)
        return acked.every((id) => have.has(id)) && others.every((o) => o.join() === a.join())
      }
    )
    const convergeMs = Date.now() - converging
    t.comment(
      `seed ${SEED}: ${partitions} partitions, ${restarts} restarts (${restartMs} ms closed and reopening), writing took ${wroteMs} ms, converging ${convergeMs} ms more`
    )
    const final = await lists()
    for (const [i, ids] of final.entries()) {
      t.is(ids.length, TOTAL, `${members[i].name} has ${TOTAL}`)
      t.is(new Set(ids).size, TOTAL, `${members[i].name} has each once`)
    }
    for (const m of members) {
      const texts = (await allMessages(m.roost, room)).map((x) => x.text)
      t.is(new Set(texts).size, texts.length, `${m.name}: no message written twice`)
    }
    t.ok(
      final.every((ids) => ids.join() === final[0].join()),
      'all three in the same order'
    )
    const set = new Set(final[0])
    t.ok(
      acked.every((id) => set.has(id)),
      'and they are exactly the acknowledged sends'
    )
  }
)
