import {
  API_EVENTS,
  API_METHODS,
  type EventName,
  type Listener,
  type RoostApi,
  type RoostEvents
} from '../api/contract.js'
import { RoostError } from '../api/errors.js'
import { encodeFrame, parseIncoming } from './frames.js'
import type { Transport } from './transport.js'

export type RemoteApi = RoostApi & { close(): void }

interface PendingCall {
  resolve(value: unknown): void
  reject(err: RoostError): void
}

/** A RoostApi whose calls travel over `transport` to a core served with serveApi. */
export function connectApi(transport: Transport): RemoteApi {
  const pending = new Map<number, PendingCall>()
  const listeners = new Map<EventName, Set<Listener<unknown>>>()
  let nextId = 1
  let closed = false

  transport.onMessage((text) => {
    const parsed = parseIncoming(text)
    if (!parsed.ok) return
    const frame = parsed.value
    if ('event' in frame) {
      for (const listener of listeners.get(frame.event) ?? []) listener(frame.data)
      return
    }
    const call = pending.get(frame.id)
    if (call === undefined) return
    pending.delete(frame.id)
    if (frame.error !== undefined) call.reject(RoostError.fromWire(frame.error))
    else call.resolve(frame.result)
  })
  transport.onClose(() => {
    closed = true
    for (const call of pending.values()) {
      call.reject(new RoostError('RPC_DISCONNECTED', 'The connection to Roost was closed'))
    }
    pending.clear()
  })

  const api: Record<string, unknown> = {
    close: () => transport.close()
  }
  for (const method of API_METHODS) {
    api[method] = (...params: unknown[]) =>
      new Promise((resolve, reject) => {
        if (closed) {
          reject(new RoostError('RPC_DISCONNECTED', 'The connection to Roost was closed'))
          return
        }
        const id = nextId++
        pending.set(id, { resolve, reject })
        transport.send(encodeFrame({ id, method, params }))
      })
  }
  for (const event of API_EVENTS) {
    api[event] = (listener: Listener<RoostEvents[typeof event]>) => {
      let set = listeners.get(event)
      if (set === undefined) listeners.set(event, (set = new Set()))
      const entry = listener as Listener<unknown>
      set.add(entry)
      return () => set.delete(entry)
    }
  }
  return api as unknown as RemoteApi
}
