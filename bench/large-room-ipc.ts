// The large-room bench's IPC: the parent (bench/large-room.ts) commands host processes
// (bench/large-room-host.ts), each running many Roost cores, one data dir each.
import type { ChildProcess } from 'child_process'

/** One process's CPU time and memory, read by itself. */
export interface ProcUsage {
  /** process.cpuUsage(): user + system, µs. */
  cpuUs: number
  rssBytes: number
  heapUsedBytes: number
}

/** Parent → host. */
export type ToHost =
  /** Start members `from` … `from + count - 1`, `parallel` joins at a time. */
  | { t: 'join'; code: string; from: number; count: number; parallel: number }
  /** Raw Autobase (bench/large-room-raw-host.ts): open members `from` … as writers of `key`. */
  | { t: 'open'; key: string; encryptionKey: string; from: number; count: number; parallel: number }
  /** Member `member` (a global index) sends probe `seq`. */
  | { t: 'send'; member: number; seq: number }
  /** Reply once every hosted member has seen probes 0 … count - 1 (`senders[seq]` sent each). */
  | { t: 'seen'; count: number; senders: number[]; idleMs: number }
  | { t: 'usage' }
  | { t: 'close' }

/** Host → parent. */
export type FromHost =
  /** `member` is writable, `ms` after its createRoost began. */
  | { t: 'joined'; member: number; ms: number }
  /** Raw Autobase: `member`'s writer key (hex), for the creator's add-writer op. */
  | { t: 'writer'; member: number; key: string }
  | { t: 'join-done' }
  | { t: 'sent'; member: number; seq: number }
  /** Every hosted member's send → visible times, ms, but the senders' own. */
  | { t: 'seen'; latencies: number[] }
  | { t: 'usage'; usage: ProcUsage }
  | { t: 'closed' }
  | { t: 'error'; message: string }

export function usageNow(): ProcUsage {
  const { user, system } = process.cpuUsage()
  const { rss, heapUsed } = process.memoryUsage()
  return { cpuUs: user + system, rssBytes: rss, heapUsedBytes: heapUsed }
}

/** The host's next reply of type `t`; rejects when it reports an error, exits or stays silent. */
export function reply<T extends FromHost['t']>(
  child: ChildProcess,
  t: T,
  timeoutMs: number
): Promise<Extract<FromHost, { t: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => done(new Error(`no '${t}' from host pid ${child.pid} within ${timeoutMs} ms`)),
      timeoutMs
    )
    const onMessage = (msg: FromHost): void => {
      if (msg.t === 'error') done(new Error(`host pid ${child.pid} failed: ${msg.message}`))
      else if (msg.t === t) done(null, msg as Extract<FromHost, { t: T }>)
    }
    const onExit = (code: number | null, signal: string | null): void => {
      done(new Error(`host pid ${child.pid} exited (code ${code}, signal ${signal}) before '${t}'`))
    }
    const done = (err: Error | null, msg?: Extract<FromHost, { t: T }>): void => {
      clearTimeout(timer)
      child.off('message', onMessage)
      child.off('exit', onExit)
      if (err !== null) reject(err)
      else resolve(msg as Extract<FromHost, { t: T }>)
    }
    child.on('message', onMessage)
    child.on('exit', onExit)
    if (child.exitCode !== null || child.signalCode !== null)
      onExit(child.exitCode, child.signalCode)
  })
}

/** Sends `msg` unless the host is gone (a reply() waiting for it then fails on its own). */
export function tell(child: ChildProcess, msg: ToHost): void {
  if (child.connected) child.send(msg)
}

// ---- the host's side ----

export function toParent(msg: FromHost): void {
  process.send?.(msg)
}

export function unknownCommand(msg: never): never {
  throw new Error(`unknown command ${JSON.stringify(msg)}`)
}

/**
 * Runs a host's commands: joins and closes one at a time, sends and usage reads at once beside
 * them; a command's error goes to the parent. The host exits when the parent is gone.
 */
export function serveHost(handle: (msg: ToHost) => Promise<void>): void {
  const fail = (err: unknown): void => {
    toParent({
      t: 'error',
      message: err instanceof Error ? (err.stack ?? err.message) : String(err)
    })
  }
  let queue = Promise.resolve()
  process.on('message', (msg: ToHost) => {
    if (msg.t === 'send' || msg.t === 'usage') handle(msg).catch(fail)
    else queue = queue.then(() => handle(msg).catch(fail))
  })
  // the parent died: nothing left to measure for
  process.on('disconnect', () => process.exit(0))
}
