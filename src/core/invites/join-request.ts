import c from 'compact-encoding'
import type { State } from 'compact-encoding'

/** What a joiner sends an admin through blind-pairing (encrypted to the invite's key). */
export interface JoinRequest {
  writer: Buffer
  profile: Buffer
  name: string
  /** The profile's signature over memberBinding(room discovery key, writer); zeros from a linked device. */
  signature: Buffer
  /** The writer core's signing key: the room's epoch keys are sealed to it. */
  boxKey: Buffer
  /** The device's binding of the writer (identity-key.ts bindWriter over the discovery key). */
  binding: Buffer
}

const VERSION = 3
/** A binding's bound (MAX_ATTESTATION_BYTES) keeps the request inside one DHT record. */
const MAX_BINDING_BYTES = 1643

const joinRequestEncoding = {
  preencode(state: State, m: JoinRequest) {
    c.uint.preencode(state, VERSION)
    c.fixed32.preencode(state, m.writer)
    c.fixed32.preencode(state, m.profile)
    c.string.preencode(state, m.name)
    c.fixed64.preencode(state, m.signature)
    c.fixed32.preencode(state, m.boxKey)
    c.buffer.preencode(state, m.binding)
  },
  encode(state: State, m: JoinRequest) {
    c.uint.encode(state, VERSION)
    c.fixed32.encode(state, m.writer)
    c.fixed32.encode(state, m.profile)
    c.string.encode(state, m.name)
    c.fixed64.encode(state, m.signature)
    c.fixed32.encode(state, m.boxKey)
    c.buffer.encode(state, m.binding)
  },
  decode(state: State): JoinRequest {
    const version = c.uint.decode(state)
    if (version !== VERSION) throw new Error('unknown join request version ' + version)
    const request = {
      writer: c.fixed32.decode(state),
      profile: c.fixed32.decode(state),
      name: c.string.decode(state),
      signature: c.fixed64.decode(state),
      boxKey: c.fixed32.decode(state),
      binding: c.buffer.decode(state)
    }
    if (request.binding === null || request.binding.length > MAX_BINDING_BYTES)
      throw new Error('no device binding')
    return request as JoinRequest
  }
}

export function encodeJoinRequest(request: JoinRequest): Buffer {
  return c.encode(joinRequestEncoding, request)
}

/** Null for anything that is not exactly one well-formed join request. */
export function decodeJoinRequest(buf: Buffer | null): JoinRequest | null {
  if (buf === null) return null
  try {
    const request = c.decode(joinRequestEncoding, buf)
    return c.encode(joinRequestEncoding, request).equals(buf) ? request : null
  } catch {
    return null
  }
}
