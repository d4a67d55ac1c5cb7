import fs from 'fs/promises'
import path from 'path'
import { RoostError } from '../../shared/api/errors.js'
import { connectHolder, type Connected } from './control-client.js'
import { ControlSocket } from './control-socket.js'
import type { Hello, HolderKind } from './hello.js'
import { HolderFile, type HolderRecord } from './holder-file.js'
import { socketPathFor, sweepDeadSockets } from './runtime-dir.js'
import type { SocketTransport } from './socket-transport.js'

export interface DataDirLockOptions {
  kind: HolderKind
  /** For messages to others: `roost status`, `roost serve`. */
  command: string
  /** `roost serve`: a live long-running core is an error, not one to talk to. */
  mustOwn: boolean
  /** How long to wait for a one-shot holder to finish (and, twice that, for a core to start). */
  waitMs?: number
  log?: (line: string) => void
}

/** Either this process holds the data dir, or it talks to the long-running core that does. */
export type Opened = { lock: DataDirLock } | { remote: SocketTransport; hello: Hello }

const DEFAULT_WAIT_MS = 60_000

/** Locks handed from whoever took them to the core this process opens next on that dir. */
const handed = new Map<string, DataDirLock>()

/**
 * The data dir's ownership. Two lock files in the data dir, each naming its holder's control
 * socket: long-running.lock, taken first by a core that stays (serve, tail, the app) so that
 * one-shot commands starting at the same moment defer to it, and core.lock, taken by whoever
 * opens the store. A one-shot command talks to a long-running core (waiting while it starts),
 * else waits for another one-shot to finish, else takes core.lock itself. A starting
 * long-running core waits for a one-shot holder, bounded. Only two long-running cores clash:
 * DATA_DIR_IN_USE.
 */
export class DataDirLock {
  readonly dataDir: string
  readonly kind: HolderKind
  readonly socket: ControlSocket
  private _files: HolderFile[]
  private _onClient: ((transport: SocketTransport) => void) | null
  private _released: Promise<void> | null

  private constructor(
    dataDir: string,
    kind: HolderKind,
    socket: ControlSocket,
    files: HolderFile[]
  ) {
    this.dataDir = dataDir
    this.kind = kind
    this.socket = socket
    this._files = files
    this._onClient = null
    this._released = null
  }

  static async open(dataDir: string, options: DataDirLockOptions): Promise<Opened> {
    const dir = path.resolve(dataDir)
    await fs.mkdir(dir, { recursive: true, mode: 0o700 })
    const attempt = new Attempt(dir, options)
    try {
      return await attempt.run()
    } catch (err) {
      await attempt.abandon()
      throw err
    }
  }

  /** The lock this process took for dataDir, for the core it opens now; once. */
  static adopt(dataDir: string): DataDirLock | null {
    const key = path.resolve(dataDir)
    const lock = handed.get(key) ?? null
    handed.delete(key)
    return lock
  }

  /** Leaves the lock for the next core this process opens on the data dir (see adopt). */
  handOff(): void {
    handed.set(this.dataDir, this)
  }

  /** Who gets control clients once ready (the core's RoostApi). */
  setHandler(onClient: (transport: SocketTransport) => void): void {
    this._onClient = onClient
  }

  /** The core is open: a long-running one answers its waiting clients from now on. */
  ready(): void {
    if (this.kind === 'long-running' && this._onClient !== null) this.socket.ready(this._onClient)
  }

  /**
   * The core is closing: clients that connect from now on wait until we let go, then open the
   * data dir themselves, instead of reaching a core that answers CLOSED.
   */
  hold(): void {
    this.socket.hold()
  }

  /** A one-shot holder's question before it acts: has a long-running core started meanwhile? */
  async longRunningWaits(): Promise<boolean> {
    if (this.kind !== 'one-shot') return false
    return (await this._files[0].live()) !== null
  }

  /** Lets go of the data dir: the lock files first (the store is closed), then the socket. */
  release(): Promise<void> {
    this._released ??= this._release()
    return this._released
  }

  private async _release(): Promise<void> {
    if (handed.get(this.dataDir) === this) handed.delete(this.dataDir)
    for (const file of [...this._files].reverse()) await file.release()
    await this.socket.close()
  }

  /** For Attempt only. */
  static _create(dir: string, kind: HolderKind, socket: ControlSocket, files: HolderFile[]) {
    return new DataDirLock(dir, kind, socket, files)
  }
}

/** One process's way to the data dir, step by step (see DataDirLock). */
class Attempt {
  private _dir: string
  private _options: DataDirLockOptions
  private _long: HolderFile
  private _core: HolderFile
  private _socket: ControlSocket | null
  private _deadline: number
  private _waitedFor: number | null

  constructor(dir: string, options: DataDirLockOptions) {
    this._dir = dir
    this._options = options
    this._long = new HolderFile(path.join(dir, 'long-running.lock'))
    this._core = new HolderFile(path.join(dir, 'core.lock'))
    this._socket = null
    this._deadline = Date.now() + (options.waitMs ?? DEFAULT_WAIT_MS)
    this._waitedFor = null
  }

  async run(): Promise<Opened> {
    const { kind, mustOwn } = this._options
    for (;;) {
      if (kind === 'long-running' && !this._long.held) {
        const other = await this._long.take(await this._record())
        if (other !== null) {
          if (mustOwn) throw RoostError.dataDirInUse(this._dir, `${describe(other)} runs on it`)
          const remote = await this._client(other)
          if (remote !== null) return remote
          continue
        }
      }
      if (kind === 'one-shot') {
        const long = await this._long.live()
        if (long !== null) {
          const remote = await this._client(long)
          if (remote !== null) return remote
          continue
        }
      }
      const holder = await this._core.take(await this._record())
      if (holder === null) {
        // a long-running core announced itself while we took the lock: let it have the dir
        if (kind === 'one-shot' && (await this._long.live()) !== null) {
          await this.abandon()
          continue
        }
        const socket = this._socket as ControlSocket
        this._socket = null
        await sweepDeadSockets(socket.path)
        return { lock: DataDirLock._create(this._dir, kind, socket, [this._long, this._core]) }
      }
      if (holder.kind === 'long-running') {
        if (kind === 'long-running') {
          throw RoostError.dataDirInUse(this._dir, `${describe(holder)} runs on it`)
        }
        const remote = await this._client(holder)
        if (remote !== null) return remote
        continue
      }
      await this._waitForRelease(holder)
    }
  }

  /** Lets go of whatever this attempt holds (on failure, or to defer to a long-running core). */
  async abandon(): Promise<void> {
    await this._core.release()
    await this._long.release()
    await this._socket?.close()
    this._socket = null
  }

  /** Our record, binding our socket first: the lock is only ever as live as it is. */
  private async _record(): Promise<HolderRecord> {
    if (this._socket === null) {
      const { kind } = this._options
      this._socket = await ControlSocket.bind(await socketPathFor(this._dir), kind)
      if (kind === 'one-shot') this._socket.busy()
    }
    const { kind, command } = this._options
    return { version: 1, kind, pid: process.pid, command, socket: this._socket.path }
  }

  /** A client of a long-running core, once it is open; null if it went away first. */
  private async _client(holder: HolderRecord): Promise<Opened | null> {
    await this.abandon()
    const deadline = this._deadline + (this._options.waitMs ?? DEFAULT_WAIT_MS)
    const connected = await beforeDeadline(
      connectHolder(holder.socket),
      deadline,
      () => RoostError.dataDirInUse(this._dir, `${describe(holder)} did not finish starting`),
      closeLate
    )
    if (typeof connected === 'string') return null
    if (connected.hello.state !== 'ready') {
      connected.close()
      return null
    }
    return { remote: connected.transport(), hello: connected.hello }
  }

  /** Waits for a one-shot holder to finish: it closes our connection as it lets go. */
  private async _waitForRelease(holder: HolderRecord): Promise<void> {
    if (this._waitedFor !== holder.pid) {
      this._waitedFor = holder.pid
      this._options.log?.(`waiting for ${describe(holder)} to finish with ${this._dir}`)
    }
    const tooLong = () => RoostError.dataDirInUse(this._dir, `${describe(holder)} still holds it`)
    const connected = await beforeDeadline(
      connectHolder(holder.socket),
      this._deadline,
      tooLong,
      closeLate
    )
    if (typeof connected === 'string') return
    try {
      await beforeDeadline(connected.closed, this._deadline, tooLong)
    } finally {
      connected.close()
    }
  }
}

function describe(holder: HolderRecord): string {
  return `${holder.command} (pid ${holder.pid})`
}

function closeLate(connected: Connected): void {
  if (typeof connected !== 'string') connected.close()
}

/** The promise's value, or the error once the deadline passes (then onLate gets the value). */
function beforeDeadline<T>(
  promise: Promise<T>,
  deadline: number,
  error: () => Error,
  onLate: (value: T) => void = () => {}
): Promise<T> {
  return new Promise((resolve, reject) => {
    let late = false
    const timer = setTimeout(
      () => {
        late = true
        reject(error())
      },
      Math.max(0, deadline - Date.now())
    )
    promise.then(
      (value) => {
        clearTimeout(timer)
        if (late) onLate(value)
        else resolve(value)
      },
      (err: unknown) => {
        clearTimeout(timer)
        reject(err)
      }
    )
  })
}
