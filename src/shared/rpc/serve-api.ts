import { API_EVENTS, type RoostApi, type Unsubscribe } from '../api/contract.js'
import { RoostError } from '../api/errors.js'
import { encodeFrame, parseRequest } from './frames.js'
import type { Transport } from './transport.js'

/** Serves `api` to one client over `transport`; every event is pushed to the client. */
export function serveApi(api: RoostApi, transport: Transport): () => void {
  const unsubscribes: Unsubscribe[] = API_EVENTS.map((event) =>
    (api[event] as (listener: (data: unknown) => void) => Unsubscribe)((data) => {
      transport.send(encodeFrame({ event, data }))
    })
  )
  let closed = false
  const stop = (): void => {
    if (closed) return
    closed = true
    for (const unsubscribe of unsubscribes) unsubscribe()
  }

  transport.onMessage((text) => {
    const parsed = parseRequest(text)
    if (!parsed.ok) {
      // a frame we cannot even attribute to a request is dropped; the rest get their error back
      if (parsed.id !== undefined)
        transport.send(encodeFrame({ id: parsed.id, error: parsed.error.toWire() }))
      return
    }
    const { id, method, params } = parsed.value
    const call = api[method] as (...args: unknown[]) => Promise<unknown>
    Promise.resolve()
      .then(() => call.apply(api, params))
      .then(
        (result) => {
          if (!closed) transport.send(encodeFrame({ id, result }))
        },
        (err: unknown) => {
          if (!closed) transport.send(encodeFrame({ id, error: RoostError.from(err).toWire() }))
        }
      )
  })
  transport.onClose(stop)
  return stop
}
