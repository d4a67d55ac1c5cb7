import crypto from 'crypto'
import fs from 'fs/promises'
import net from 'net'
import os from 'os'
import path from 'path'
import { RoostError } from '../../shared/api/errors.js'
import { MAX_FRAME_BYTES, MAX_RESPONSE_BYTES } from '../../shared/rpc/frames.js'
import { SocketTransport } from './socket-transport.js'

/** Unix socket paths are limited to ~104 bytes; long data dirs get a socket in the temp dir. */
const MAX_SOCKET_PATH = 100

export function controlSocketPath(dataDir: string): string {
  const resolved = path.resolve(dataDir)
  const hash = crypto.createHash('sha256').update(resolved).digest('hex').slice(0, 24)
  if (process.platform === 'win32') return `\\\\.\\pipe\\roost-${hash}`
  const inDir = path.join(resolved, 'roost.sock')
  return inDir.length <= MAX_SOCKET_PATH ? inDir : path.join(os.tmpdir(), `roost-${hash}.sock`)
}

/** Connects to the core running on dataDir; null when none is running. */
export function connectControl(dataDir: string): Promise<SocketTransport | null> {
  return new Promise((resolve) => {
    const socket = net.connect(controlSocketPath(dataDir))
    socket.once('connect', () => {
      socket.removeAllListeners('error')
      resolve(new SocketTransport(socket, MAX_RESPONSE_BYTES))
    })
    socket.once('error', () => resolve(null))
  })
}

/**
 * The data dir's control socket. Listening on it is also the data dir's lock: a second core
 * finds a live socket and fails with DATA_DIR_IN_USE before it touches the store.
 */
export class ControlServer {
  readonly path: string
  private _server: net.Server
  private _sockets: Set<net.Socket>

  private constructor(socketPath: string, server: net.Server) {
    this.path = socketPath
    this._server = server
    this._sockets = new Set()
  }

  static async listen(
    dataDir: string,
    onClient: (transport: SocketTransport) => void
  ): Promise<ControlServer> {
    const socketPath = controlSocketPath(dataDir)
    const server = net.createServer()
    const control = new ControlServer(socketPath, server)
    server.on('connection', (socket) => {
      control._sockets.add(socket)
      socket.once('close', () => control._sockets.delete(socket))
      onClient(new SocketTransport(socket, MAX_FRAME_BYTES))
    })
    try {
      await listenOn(server, socketPath)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err
      const live = await connectControl(dataDir)
      if (live !== null) {
        live.close()
        throw RoostError.dataDirInUse(dataDir)
      }
      // a socket file left by a crashed process: nobody answers, so take it over
      await fs.rm(socketPath, { force: true })
      await listenOn(server, socketPath)
    }
    return control
  }

  async close(): Promise<void> {
    for (const socket of this._sockets) socket.destroy()
    await new Promise<void>((resolve) => this._server.close(() => resolve()))
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
