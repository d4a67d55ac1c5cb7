import type { AppBridge } from '../../shared/app-bridge.js'
import { connectApi, type RemoteApi } from '../../shared/rpc/connect-api.js'
import type { Transport } from '../../shared/rpc/transport.js'
import { createBridgeTransport } from './bridge-transport'
import { learnServeCommand, serveCommand } from './serve-command'
import { takeToken } from './token'
import { createWebSocketTransport } from './websocket-transport'

export interface Client {
  api: RemoteApi
  /** The Electron bridge (deep links, badge), or null in a browser. */
  bridge: AppBridge | null
}

/** Why there is no connection, in words a user can act on. */
export class ConnectError extends Error {
  readonly title: string
  /** The command that starts Roost, when starting it is what the user should do. */
  readonly command: string | null

  constructor(title: string, message: string, command: string | null) {
    super(message)
    this.name = 'ConnectError'
    this.title = title
    this.command = command
  }
}

/**
 * Connects to the core: through the Electron preload when there is one, otherwise over the
 * WebSocket of `roost serve --web`. `onClose` runs once if the connection ends later.
 */
export async function connectClient(onClose: () => void): Promise<Client> {
  const bridge = window.roostApp ?? null
  let transport: Transport
  if (bridge !== null) {
    transport = createBridgeTransport(bridge)
  } else {
    await learnServeCommand()
    const token = takeToken()
    if (token === null) {
      throw new ConnectError(
        'Open Roost from its link',
        'This page needs the link that Roost prints when it starts (it ends with ?token=…). Start it, then open that link:',
        serveCommand()
      )
    }
    try {
      transport = await createWebSocketTransport(`ws://${window.location.host}/api`, token)
    } catch {
      if (await pageServerAnswers()) {
        throw new ConnectError(
          'This page is from an earlier start',
          'Roost is running, but it started with a new token since this page was opened. Open the new link `roost serve` printed.',
          null
        )
      }
      throw new ConnectError(
        'Roost is not running',
        'Cannot reach Roost. Start it again with this command, then try again:',
        serveCommand()
      )
    }
  }
  let closed = false
  transport.onClose(() => {
    if (closed) return
    closed = true
    onClose()
  })
  return { api: connectApi(transport), bridge }
}

/** The server of this page still answers (so a refused token means Roost restarted). */
async function pageServerAnswers(): Promise<boolean> {
  try {
    return (await fetch('/', { cache: 'no-store' })).ok
  } catch {
    return false
  }
}
