import fs from 'fs/promises'
import net from 'net'
import { MAX_FRAME_BYTES } from '../../shared/rpc/frames.js'
import { encodeHello, type HolderKind } from './hello.js'
import { withUsablePath } from './runtime-dir.js'
import { SocketTransport } from './socket-transport.js'

type Mode =
  | { name: 'starting' }
  | { name: 'ready'; onClient: (transport: SocketTransport) => void }
  | { name: 'busy' }

/**
 * The listening end of one process's control socket. Bound before the process takes a lock (its
 * answering is how others tell a live holder from a crashed one); clients that connect while it
 * starts wait, unanswered, until it is ready or says it is busy.
 */
export class ControlSocket {
  readonly path: string
  readonly kind: HolderKind
  private _server: net.Server
  private _sockets: Set<net.Socket>
  private _waiting: Set<net.Socket>
  private _mode: Mode
  private _closing: Promise<void> | null

  private constructor(socketPath: string, kind: HolderKind) {
    this.path = socketPath
    this.kind = kind
    this._server = net.createServer((socket) => this._onConnection(socket))
    this._sockets = new Set()
    this._waiting = new Set()
    this._mode = { name: 'starting' }
    this._closing = null
  }

  static async bind(socketPath: string, kind: HolderKind): Promise<ControlSocket> {
    const control = new ControlSocket(socketPath, kind)
    await withUsablePath(socketPath, async (usable) => {
      try {
        await listenOn(control._server, usable)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
        // the name is ours alone (pid and a counter): a file there was left by a crashed process
        await fs.rm(socketPath, { force: true })
        await listenOn(control._server, usable)
      }
    })
    if (process.platform !== 'win32') await fs.chmod(socketPath, 0o600)
    return control
  }

  /** Serves RoostApi (or the daemon's protocol) from now on, to waiting clients first. */
  ready(onClient: (transport: SocketTransport) => void): void {
    this._mode = { name: 'ready', onClient }
    for (const socket of this._waiting) this._answer(socket)
    this._waiting.clear()
  }

  /** Shutting down: new clients wait, unanswered, and take our close as "free" (see busy). */
  hold(): void {
    if (this._mode.name === 'ready') this._mode = { name: 'starting' }
  }

  /** Tells every client this process holds the data dir for one command only. */
  busy(): void {
    this._mode = { name: 'busy' }
    for (const socket of this._waiting) this._answer(socket)
    this._waiting.clear()
  }

  /** Ends every connection (clients waiting on a busy holder take that as "free") and unlinks. */
  close(): Promise<void> {
    this._closing ??= this._close()
    return this._closing
  }

  private async _close(): Promise<void> {
    for (const socket of this._sockets) socket.destroy()
    await new Promise<void>((resolve) => this._server.close(() => resolve()))
    if (process.platform !== 'win32') await fs.rm(this.path, { force: true })
  }

  private _onConnection(socket: net.Socket): void {
    if (this._closing !== null) {
      socket.destroy()
      return
    }
    this._sockets.add(socket)
    socket.once('close', () => {
      this._sockets.delete(socket)
      this._waiting.delete(socket)
    })
    socket.on('error', () => socket.destroy())
    if (this._mode.name === 'starting') this._waiting.add(socket)
    else this._answer(socket)
  }

  private _answer(socket: net.Socket): void {
    const mode = this._mode
    if (mode.name === 'starting' || socket.destroyed) return
    const state = mode.name === 'ready' ? 'ready' : 'busy'
    socket.write(encodeHello({ kind: this.kind, pid: process.pid, state }) + '\n')
    if (mode.name === 'ready') mode.onClient(new SocketTransport(socket, MAX_FRAME_BYTES))
  }
}

function listenOn(server: net.Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(socketPath, () => {
      server.off('error', reject)
      resolve()
    })
  })
}
