// The large room on the raw stack, for CPU per message per member beside Roost's: the same
// processes and phases (bench/large-room-procs.ts) with bench/baseline.ts's plain Autobase (one
// Corestore and Hyperswarm per member, no Roost code). This process's member creates the base
// and adds each hosted member's writer (not an indexer, as a Roost member) when it announces it.
import path from 'path'
import b4a from 'b4a'
import Corestore from 'corestore'
import HyperDHT from 'hyperdht'
import Hyperswarm, { type SwarmConnection } from 'hyperswarm'
import { addWriterOp, openBase } from './baseline.js'
import type { FromHost } from './large-room-ipc.js'
import {
  joinHosts,
  messagingPhase,
  Processes,
  type PhaseResult,
  type Progress
} from './large-room-procs.js'
import { Sightings } from './large-room-sightings.js'
import { log } from './lib.js'

/** One size's figures, Roost's or the raw stack's (send → visible, CPU: large-room-procs.ts). */
export interface RawLargeRoomSize extends PhaseResult {
  members: number
  processes: number
  /** The first member's start → the last member writable, ms. */
  joinAllMs: number
  /** Each member's open → writable, ms. */
  joinP50Ms: number
  joinMaxMs: number
  messages: number
  rate: number
  /** RSS of every process together after the run, bytes. */
  rssBytes: number
}

const HOSTS = 2
const OPEN_PARALLEL = 3

export async function rawLargeRoom(
  bootstrap: string[],
  root: string,
  members: number,
  opts: { messages: number; rate: number },
  progress: Progress
): Promise<RawLargeRoomSize> {
  const store = new Corestore(path.join(root, 'raw0'))
  const base = openBase(store, null, null)
  const swarm = new Hyperswarm({
    dht: new HyperDHT({ bootstrap, host: '127.0.0.1', firewalled: false })
  })
  const procs = new Processes()
  progress.procs = procs
  progress.phase = 'joining'
  try {
    await base.ready()
    swarm.on('connection', (conn: SwarmConnection) => {
      conn.on('error', () => {})
      store.replicate(conn)
    })
    await swarm.join(base.discoveryKey).flushed()
    const sightings = new Sightings()
    sightings.watchView(0, base)

    procs.start('large-room-raw-host.js', root, bootstrap, Math.min(HOSTS, members - 1))
    const onWriter = (msg: FromHost): void => {
      if (msg.t !== 'writer') return
      base.append(addWriterOp(b4a.from(msg.key, 'hex'))).catch((err: unknown) => {
        log(`large room, raw: adding writer ${msg.member} failed: ${(err as Error).message}`)
      })
    }
    for (const host of procs.hosts) host.on('message', onWriter)
    const key = b4a.toString(base.key, 'hex')
    const encryptionKey = b4a.toString(base.encryptionKey, 'hex')
    const joins = await joinHosts(procs, members, progress, (from, count) => ({
      t: 'open',
      key,
      encryptionKey,
      from,
      count,
      parallel: OPEN_PARALLEL
    }))
    log(`large room, raw: ${members} writers after ${(joins.joinAllMs / 1000).toFixed(1)} s`)
    progress.phase = 'messaging'
    const phase = await messagingPhase(procs, sightings, members, opts)
    const end = await procs.usage()
    return {
      members,
      processes: 1 + procs.hosts.length,
      ...joins,
      messages: opts.messages,
      rate: opts.rate,
      ...phase,
      rssBytes: end.reduce((sum, u) => sum + u.rssBytes, 0)
    }
  } catch (err) {
    if (!progress.expired) progress.usage = await procs.usage().catch(() => null)
    throw err
  } finally {
    await procs.stop()
    await swarm.destroy()
    await base.close()
    await store.close()
  }
}
