// One process hosting many members of the large room (bench/large-room.ts): one Roost core per
// member, each with its own data dir, Corestore and Hyperswarm, commanded over IPC.
// argv: <root dir> <bootstrap JSON: ["host:port", ...]>
import path from 'path'
import { createRoost, type Roost } from '../src/core/roost.js'
import { nowNs, nsToMs, probeText, untilRoost } from './lib.js'
import { Sightings } from './large-room-sightings.js'
import { serveHost, toParent, unknownCommand, usageNow, type ToHost } from './large-room-ipc.js'

const JOIN_TIMEOUT_MS = 120_000

const [root, bootstrapJson] = process.argv.slice(2)
const bootstrap = JSON.parse(bootstrapJson) as string[]

/** The members this process hosts, by their global index. */
const members = new Map<number, { roost: Roost; room: string }>()
/** Cores opened but not joined yet: closed too if the run stops halfway. */
const opening = new Set<Roost>()
const sightings = new Sightings()

async function joinOne(index: number, code: string): Promise<void> {
  const start = nowNs()
  const roost = await createRoost({
    dataDir: path.join(root, `m${index}`),
    bootstrap,
    host: '127.0.0.1'
  })
  opening.add(roost)
  await roost.init({ name: `m${index}` })
  const dto = await roost.join(code, { timeout: JOIN_TIMEOUT_MS })
  await untilRoost(roost, async () => (await roost.room(dto.id)).writable, JOIN_TIMEOUT_MS)
  opening.delete(roost)
  members.set(index, { roost, room: dto.id })
  sightings.watch(index, roost)
  toParent({ t: 'joined', member: index, ms: nsToMs(nowNs() - start) })
}

async function joinAll(code: string, from: number, count: number, parallel: number): Promise<void> {
  let next = from
  const worker = async (): Promise<void> => {
    while (next < from + count) await joinOne(next++, code)
  }
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker))
}

async function closeAll(): Promise<void> {
  const all = [...[...members.values()].map((m) => m.roost), ...opening]
  members.clear()
  opening.clear()
  // a few at a time: each close flushes its store and leaves the swarm
  for (let i = 0; i < all.length; i += 8) {
    await Promise.all(all.slice(i, i + 8).map((roost) => roost.close()))
  }
}

async function handle(msg: ToHost): Promise<void> {
  switch (msg.t) {
    case 'join':
      await joinAll(msg.code, msg.from, msg.count, msg.parallel)
      toParent({ t: 'join-done' })
      return
    case 'open':
      throw new Error(`unexpected command ${msg.t}`)
    case 'send': {
      const member = members.get(msg.member)
      if (member === undefined) throw new Error(`member ${msg.member} is not hosted here`)
      await member.roost.send(member.room, { text: probeText('lat', msg.seq) })
      toParent({ t: 'sent', member: msg.member, seq: msg.seq })
      return
    }
    case 'seen':
      await sightings.untilAll(msg.count, msg.idleMs)
      toParent({ t: 'seen', latencies: sightings.latencies(msg.senders) })
      return
    case 'usage':
      toParent({ t: 'usage', usage: usageNow() })
      return
    case 'close':
      await closeAll()
      toParent({ t: 'closed' })
      process.disconnect()
      return
    default:
      return unknownCommand(msg)
  }
}

serveHost(handle)
