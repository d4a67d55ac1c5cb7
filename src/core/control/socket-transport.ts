import type { Socket } from 'net'
import type { Transport } from '../../shared/rpc/transport.js'

/** RPC frames over a stream socket, one JSON frame per line. An over-long line ends the connection. */
export class SocketTransport implements Transport {
  private _socket: Socket
  private _buffered: string
  private _maxFrame: number

  /**
   * maxFrame: the largest frame this end accepts (requests on the core's end, answers on a
   * client's). buffered: what was read past the control hello.
   */
  constructor(socket: Socket, maxFrame: number, buffered = '') {
    this._socket = socket
    this._buffered = buffered
    this._maxFrame = maxFrame
    socket.setEncoding('utf8')
    socket.on('error', () => socket.destroy())
  }

  send(frame: string): void {
    if (!this._socket.destroyed) this._socket.write(frame + '\n')
  }

  onMessage(listener: (frame: string) => void): void {
    const drain = (): void => {
      let newline: number
      while ((newline = this._buffered.indexOf('\n')) !== -1) {
        const line = this._buffered.slice(0, newline)
        this._buffered = this._buffered.slice(newline + 1)
        if (line.length > 0) listener(line)
      }
      if (this._buffered.length > this._maxFrame) this.close()
    }
    this._socket.on('data', (chunk: string) => {
      this._buffered += chunk
      drain()
    })
    if (this._buffered.length > 0) queueMicrotask(drain)
    this._socket.resume()
  }

  onClose(listener: () => void): void {
    this._socket.on('close', listener)
  }

  close(): void {
    this._socket.destroy()
  }
}
