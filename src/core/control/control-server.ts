import path from 'path'
import { connectHolder } from './control-client.js'
import { DataDirLock } from './data-dir-lock.js'
import { HolderFile } from './holder-file.js'
import type { SocketTransport } from './socket-transport.js'

export { DataDirLock } from './data-dir-lock.js'

/**
 * The data dir's control socket and lock, as a core holds them. A core whose process took the
 * lock itself (the CLI, see DataDirLock.open) adopts it and serves once that process calls
 * ready(); any other core takes the lock here as a long-running holder and serves at once.
 */
export class ControlServer {
  readonly path: string
  private _lock: DataDirLock

  private constructor(lock: DataDirLock) {
    this.path = lock.socket.path
    this._lock = lock
  }

  /**
   * serveWhenReady: clients wait until ready() (the core is open) instead of being served at
   * once; a core whose process took the lock itself always waits for that process's ready().
   */
  static async listen(
    dataDir: string,
    onClient: (transport: SocketTransport) => void,
    options: { serveWhenReady?: boolean } = {}
  ): Promise<ControlServer> {
    const adopted = DataDirLock.adopt(dataDir)
    if (adopted !== null) {
      adopted.setHandler(onClient)
      return new ControlServer(adopted)
    }
    const opened = await DataDirLock.open(dataDir, {
      kind: 'long-running',
      command: 'Roost',
      mustOwn: true
    })
    if (!('lock' in opened)) throw new Error('unreachable: a core that must own never connects')
    opened.lock.setHandler(onClient)
    if (options.serveWhenReady !== true) opened.lock.ready()
    return new ControlServer(opened.lock)
  }

  /** The core is open: serve the clients waiting and all that come. */
  ready(): void {
    this._lock.ready()
  }

  /** The core starts closing: new clients wait for the data dir instead (see DataDirLock.hold). */
  closing(): void {
    this._lock.hold()
  }

  async close(): Promise<void> {
    await this._lock.release()
  }
}

/** Connects to the long-running core on dataDir (once it is open); null when none runs. */
export async function connectControl(dataDir: string): Promise<SocketTransport | null> {
  const dir = path.resolve(dataDir)
  const long = await new HolderFile(path.join(dir, 'long-running.lock')).live()
  if (long === null) return null
  const connected = await connectHolder(long.socket)
  if (typeof connected === 'string') return null
  if (connected.hello.state !== 'ready') {
    connected.close()
    return null
  }
  return connected.transport()
}

/** The control socket of the core holding dataDir now, or null. */
export async function controlSocketPath(dataDir: string): Promise<string | null> {
  const dir = path.resolve(dataDir)
  const record = await new HolderFile(path.join(dir, 'core.lock')).live()
  return record?.socket ?? null
}
