/**
 * Entry of the `utilityProcess` that hosts the core, so the window never waits on storage.
 * Main hands it one MessagePortMain per page load ({type: 'port'}) and serves RoostApi on each;
 * {type: 'shutdown'} closes the core and exits. Options arrive as argv (see options.ts).
 */
import { connectControl, createRoost } from '../core/index.js'
import { API_EVENTS, API_METHODS, type RoostApi } from '../shared/api/contract.js'
import { RoostError } from '../shared/api/errors.js'
import { serveApi } from '../shared/rpc/serve-api.js'
import type { Transport } from '../shared/rpc/transport.js'
import type { HostMessage } from './ipc.js'
import { parseHostOptions, type HostOptions } from './options.js'
import { PortTransport } from './port-transport.js'

interface Backend {
  serve(transport: Transport): void
  close(): Promise<void>
}

const options = parseHostOptions(process.argv.slice(1))
const backend = openBackend(options)
let closing: Promise<boolean> | null = null

process.parentPort.on('message', (event) => {
  const message = parseHostMessage(event.data)
  if (message === null) return
  switch (message.type) {
    case 'port':
      for (const port of event.ports) {
        const transport = new PortTransport(port) // queues frames until the core is open
        void backend.then((b) => b.serve(transport))
      }
      return
    case 'shutdown':
      void shutdown()
      return
    default:
      return missingCase(message)
  }
})

// a terminal's Ctrl-C reaches the whole process group: close properly, main is quitting too
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutdown())

async function shutdown(): Promise<void> {
  closing ??= backend
    .then((b) => b.close())
    .then(
      () => true,
      (err: unknown) => {
        log(`closing the core failed: ${RoostError.from(err).message}`)
        return false
      }
    )
  process.exit((await closing) ? 0 : 1)
}

/**
 * The core for the data dir. If a `roost serve` already holds it, relay to that core over its
 * control socket (as the CLI does); if it cannot open at all, answer every call with the error
 * so the window can say why.
 */
async function openBackend(opts: HostOptions): Promise<Backend> {
  try {
    const roost = await createRoost({
      dataDir: opts.dataDir,
      bootstrap: opts.bootstrap,
      host: opts.host
    })
    return { serve: (transport) => void serveApi(roost, transport), close: () => roost.close() }
  } catch (err) {
    const error = RoostError.from(err)
    log(`cannot open ${opts.dataDir}: ${error.message}`)
    if (error.code === 'DATA_DIR_IN_USE') return relayBackend(opts.dataDir, error)
    return unavailableBackend(error)
  }
}

function relayBackend(dataDir: string, error: RoostError): Backend {
  return {
    serve: (transport) => {
      void connectControl(dataDir).then((remote) => {
        if (remote === null) serveApi(unavailableApi(error), transport)
        else pipe(transport, remote)
      })
    },
    close: async () => {} // the other process owns that core
  }
}

function unavailableBackend(error: RoostError): Backend {
  const api = unavailableApi(error)
  return { serve: (transport) => void serveApi(api, transport), close: async () => {} }
}

/** A RoostApi whose every call fails with `error` (its code reaches the renderer unchanged). */
function unavailableApi(error: RoostError): RoostApi {
  const api: Record<string, unknown> = {}
  for (const method of API_METHODS) api[method] = () => Promise.reject(error)
  for (const event of API_EVENTS) api[event] = () => () => {}
  return api as unknown as RoostApi
}

function pipe(a: Transport, b: Transport): void {
  a.onMessage((frame) => b.send(frame))
  b.onMessage((frame) => a.send(frame))
  a.onClose(() => b.close())
  b.onClose(() => a.close())
}

function parseHostMessage(data: unknown): HostMessage | null {
  if (typeof data !== 'object' || data === null) return null
  const type = (data as { type?: unknown }).type
  return type === 'port' || type === 'shutdown' ? { type } : null
}

function log(text: string): void {
  process.stderr.write(`${new Date().toISOString()} roost core: ${text}\n`)
}

function missingCase(value: never): never {
  throw new Error('Unhandled host message: ' + JSON.stringify(value))
}
