// Member B of the Roost scenario, in its own process: joins by invite, then sends on command.
// argv: <dataDir> <bootstrap JSON: ["host:port", ...]>
import { createRoost, type Roost } from '../src/core/roost.js'
import {
  nowNs,
  nsToMs,
  probeText,
  sendBurst,
  sendFlood,
  sendPaced,
  serveParent,
  toParent,
  untilRoost,
  type ToMember
} from './lib.js'

const JOIN_TIMEOUT_MS = 60_000

const [dataDir, bootstrapJson] = process.argv.slice(2)
const bootstrap = JSON.parse(bootstrapJson) as string[]

let roost: Roost | null = null
let room: string | null = null

function joined(): { roost: Roost; room: string } {
  if (roost === null || room === null) throw new Error('not joined yet')
  return { roost, room }
}

serveParent(async (msg: ToMember) => {
  switch (msg.t) {
    case 'join': {
      const start = nowNs()
      roost = await createRoost({ dataDir, bootstrap, host: '127.0.0.1' })
      await roost.init({ name: 'B' })
      const r = roost
      const dto = await r.join(msg.code, { timeout: JOIN_TIMEOUT_MS })
      room = dto.id
      await untilRoost(r, async () => (await r.room(dto.id)).writable, JOIN_TIMEOUT_MS)
      toParent({ t: 'ready', ms: nsToMs(nowNs() - start) })
      return
    }
    case 'latency': {
      const { roost, room } = joined()
      const writerMs = await sendPaced(msg.count, msg.rate, (seq) =>
        roost.send(room, { text: probeText('lat', seq) })
      )
      toParent({ t: 'latency-done', writerMs })
      return
    }
    case 'burst': {
      const { roost, room } = joined()
      const writerMs = await sendBurst('roost', msg.count, (seq) =>
        roost.send(room, { text: probeText('burst', seq) })
      )
      toParent({ t: 'burst-done', writerMs })
      return
    }
    case 'flood': {
      const { roost, room } = joined()
      const writerMs = await sendFlood(msg.count, (seq) =>
        roost.send(room, { text: probeText('flood', seq) })
      )
      toParent({ t: 'flood-done', writerMs })
      return
    }
    case 'close': {
      if (roost !== null) await roost.close()
      toParent({ t: 'closed' })
      process.disconnect()
      return
    }
    case 'open':
      throw new Error(`unexpected command ${msg.t}`)
    default:
      return missing(msg)
  }
})

function missing(msg: never): never {
  throw new Error(`unknown command ${JSON.stringify(msg)}`)
}
