import type { AppBridge } from '../../shared/app-bridge.js'
import type { Transport } from '../../shared/rpc/transport.js'

/** The Electron preload's pipe to the core as a Transport; the app owns it, so close is a no-op. */
export function createBridgeTransport(bridge: AppBridge): Transport {
  return {
    send: (frame) => bridge.send(frame),
    onMessage: (listener) => bridge.onMessage(listener),
    onClose: (listener) => bridge.onClose(listener),
    close: () => {}
  }
}
