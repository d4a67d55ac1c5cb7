import type { MessagePortMain } from 'electron'
import type { Transport } from '../shared/rpc/transport.js'

/**
 * One Electron MessagePortMain as an RPC transport of text frames: the core host's end of a
 * page's channel (it closes when the page reloads or goes away), or main's end of its own.
 */
export class PortTransport implements Transport {
  private _port: MessagePortMain
  private _messageListeners: Array<(frame: string) => void>
  private _closeListeners: Array<() => void>
  private _closed: boolean

  constructor(port: MessagePortMain) {
    this._port = port
    this._messageListeners = []
    this._closeListeners = []
    this._closed = false
    port.on('message', (event) => {
      // frames are text; anything else is not ours to pass on
      if (typeof event.data !== 'string') return
      for (const listener of this._messageListeners) listener(event.data)
    })
    port.on('close', () => this._onClose())
  }

  send(frame: string): void {
    if (!this._closed) this._port.postMessage(frame)
  }

  /** Frames wait in the port until the first listener is here. */
  onMessage(listener: (frame: string) => void): void {
    this._messageListeners.push(listener)
    if (this._messageListeners.length === 1) this._port.start()
  }

  onClose(listener: () => void): void {
    if (this._closed) queueMicrotask(listener)
    else this._closeListeners.push(listener)
  }

  close(): void {
    if (this._closed) return
    this._port.close()
    this._onClose()
  }

  private _onClose(): void {
    if (this._closed) return
    this._closed = true
    for (const listener of this._closeListeners.splice(0)) listener()
  }
}
