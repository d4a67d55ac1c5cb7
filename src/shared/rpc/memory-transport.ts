import type { Transport } from './transport.js'

class MemoryEnd implements Transport {
  peer: MemoryEnd | null = null
  private _messageListeners: Array<(frame: string) => void> = []
  private _closeListeners: Array<() => void> = []
  private _closed = false

  send(frame: string): void {
    const peer = this.peer
    if (this._closed || peer === null || peer._closed) return
    // async like a real pipe, so callers never rely on re-entrancy
    queueMicrotask(() => {
      if (!peer._closed) for (const listener of peer._messageListeners) listener(frame)
    })
  }

  onMessage(listener: (frame: string) => void): void {
    this._messageListeners.push(listener)
  }

  onClose(listener: () => void): void {
    this._closeListeners.push(listener)
  }

  close(): void {
    if (this._closed) return
    this._closed = true
    for (const listener of this._closeListeners) listener()
    this.peer?.close()
  }
}

/** Two connected in-process transport ends, for tests. */
export function createMemoryTransportPair(): [Transport, Transport] {
  const a = new MemoryEnd()
  const b = new MemoryEnd()
  a.peer = b
  b.peer = a
  return [a, b]
}
