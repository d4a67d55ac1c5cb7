import net from 'net'
import { RoostError } from '../../shared/api/errors.js'
import { MAX_RESPONSE_BYTES } from '../../shared/rpc/frames.js'
import { parseHello, type Hello } from './hello.js'
import { checkSocketOwner, withUsablePath } from './runtime-dir.js'
import { SocketTransport } from './socket-transport.js'

/** A connection to a holder's control socket, past its hello. */
export interface HolderConnection {
  hello: Hello
  /** Resolves when the holder ends the connection (a busy holder: it let go of the data dir). */
  closed: Promise<void>
  /** RoostApi frames from here on; only for a 'ready' hello. */
  transport(): SocketTransport
  close(): void
}

/** 'dead': nobody listens there (a crashed holder). 'gone': it hung up before its hello. */
export type Connected = HolderConnection | 'dead' | 'gone'

/** Nobody listens, or the holder closed its socket as we connected. */
const DEAD = new Set(['ECONNREFUSED', 'ENOENT', 'ENOTSOCK', 'ECONNRESET'])

/** Opens a raw connection; 'dead' when nobody listens. The socket's owner is checked first. */
async function open(socketPath: string): Promise<net.Socket | 'dead'> {
  await checkSocketOwner(socketPath)
  return withUsablePath(
    socketPath,
    (usable) =>
      new Promise<net.Socket | 'dead'>((resolve, reject) => {
        const socket = net.connect(usable)
        socket.once('connect', () => {
          socket.removeAllListeners('error')
          resolve(socket)
        })
        socket.once('error', (err: NodeJS.ErrnoException) => {
          if (DEAD.has(err.code ?? '')) resolve('dead')
          else reject(err)
        })
      })
  )
}

/** Whether a holder listens on socketPath (its lock is live), without waiting for its hello. */
export async function isListening(socketPath: string): Promise<boolean> {
  const socket = await open(socketPath)
  if (socket === 'dead') return false
  socket.destroy()
  return true
}

/** Connects and waits for the holder's hello (a starting core sends it once open). */
export async function connectHolder(socketPath: string): Promise<Connected> {
  const socket = await open(socketPath)
  if (socket === 'dead') return 'dead'
  socket.setEncoding('utf8')
  socket.on('error', () => socket.destroy())
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  let buffered = ''
  const first = await new Promise<string | null>((resolve) => {
    const onData = (chunk: string): void => {
      buffered += chunk
      const newline = buffered.indexOf('\n')
      if (newline === -1 && buffered.length < 1024) return
      socket.off('data', onData)
      socket.pause()
      resolve(newline === -1 ? '' : buffered.slice(0, newline))
      buffered = newline === -1 ? '' : buffered.slice(newline + 1)
    }
    socket.on('data', onData)
    void closed.then(() => resolve(null))
  })
  if (first === null) return 'gone'
  const hello = parseHello(first)
  if (hello === null) {
    socket.destroy()
    throw new RoostError(
      'CONTROL_SOCKET_UNSAFE',
      `${socketPath} does not speak Roost's control protocol`
    )
  }
  return {
    hello,
    closed,
    transport: () => new SocketTransport(socket, MAX_RESPONSE_BYTES, buffered),
    close: () => socket.destroy()
  }
}
