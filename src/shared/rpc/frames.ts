import { API_EVENTS, API_METHODS, type EventName, type MethodName } from '../api/contract.js'
import { RoostError, type WireError } from '../api/errors.js'

/** Frames are JSON text: a request, its response, or an event pushed by the core. */
export interface RequestFrame {
  id: number
  method: MethodName
  params: unknown[]
}
export interface ResponseFrame {
  id: number
  result?: unknown
  error?: WireError
}
export interface EventFrame {
  event: EventName
  data: unknown
}
export type Frame = RequestFrame | ResponseFrame | EventFrame

/** What a client may send the core. */
export const MAX_FRAME_BYTES = 1024 * 1024
/** What the core may answer: a page of 64 KiB messages is several MiB. */
export const MAX_RESPONSE_BYTES = 64 * 1024 * 1024

type Parsed<T> = { ok: true; value: T } | { ok: false; error: RoostError }

function invalid(message: string): { ok: false; error: RoostError } {
  return { ok: false, error: new RoostError('RPC_INVALID_FRAME', message) }
}

function parseObject(text: unknown, maxBytes: number): Parsed<Record<string, unknown>> {
  if (typeof text !== 'string') return invalid('frame is not text')
  if (text.length > maxBytes) return invalid(`frame is larger than ${maxBytes} bytes`)
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return invalid('frame is not JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return invalid('frame is not an object')
  }
  return { ok: true, value: value as Record<string, unknown> }
}

function isId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

export function parseRequest(text: unknown): Parsed<RequestFrame> & { id?: number } {
  const parsed = parseObject(text, MAX_FRAME_BYTES)
  if (!parsed.ok) return parsed
  const { id, method, params } = parsed.value
  if (!isId(id)) return invalid('request id must be a non-negative integer')
  if (typeof method !== 'string' || !(API_METHODS as readonly string[]).includes(method)) {
    return {
      ok: false,
      id,
      error: new RoostError('RPC_UNKNOWN_METHOD', `Unknown method ${String(method)}`)
    }
  }
  if (!Array.isArray(params)) return { ...invalid('params must be an array'), id }
  return { ok: true, value: { id, method: method as MethodName, params } }
}

export function parseIncoming(text: unknown): Parsed<ResponseFrame | EventFrame> {
  const parsed = parseObject(text, MAX_RESPONSE_BYTES)
  if (!parsed.ok) return parsed
  const frame = parsed.value
  if ('event' in frame) {
    if (!(API_EVENTS as readonly unknown[]).includes(frame.event)) return invalid('unknown event')
    return { ok: true, value: { event: frame.event as EventName, data: frame.data } }
  }
  if (!isId(frame.id)) return invalid('response id must be a non-negative integer')
  if ('error' in frame)
    return { ok: true, value: { id: frame.id, error: RoostError.fromWire(frame.error).toWire() } }
  return { ok: true, value: { id: frame.id, result: frame.result } }
}

export function encodeFrame(frame: Frame): string {
  // a void method's undefined result travels as null; undefined option fields are simply left out
  if ('id' in frame && !('method' in frame) && !('error' in frame) && frame.result === undefined) {
    return JSON.stringify({ ...frame, result: null })
  }
  return JSON.stringify(frame)
}
