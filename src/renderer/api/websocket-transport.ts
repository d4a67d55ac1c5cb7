import type { Transport } from '../../shared/rpc/transport.js'

/**
 * The browser end of `roost serve --web`: RPC frames over a WebSocket. The start token goes as a
 * subprotocol, not in the URL, which the browser prints to the console when connecting fails.
 */
export function createWebSocketTransport(url: string, token: string): Promise<Transport> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, ['roost', 'roost-token.' + token])
    const messageListeners: Array<(frame: string) => void> = []
    const closeListeners: Array<() => void> = []
    socket.addEventListener('message', (event) => {
      if (typeof event.data === 'string')
        for (const listener of messageListeners) listener(event.data)
    })
    socket.addEventListener('close', () => {
      for (const listener of closeListeners) listener()
    })
    socket.addEventListener('error', () => reject(new Error('Cannot reach Roost at ' + url)), {
      once: true
    })
    socket.addEventListener(
      'open',
      () =>
        resolve({
          send: (frame) => {
            if (socket.readyState === WebSocket.OPEN) socket.send(frame)
          },
          onMessage: (listener) => messageListeners.push(listener),
          onClose: (listener) => closeListeners.push(listener),
          close: () => socket.close()
        }),
      { once: true }
    )
  })
}
