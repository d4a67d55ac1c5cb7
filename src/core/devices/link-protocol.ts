import BlindPairing from 'blind-pairing'
import b4a from 'b4a'
import c from 'compact-encoding'
import type { Encoding, State } from 'compact-encoding'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import { DEVICE_LINK_PREFIX } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { MAX_ATTESTATION_BYTES } from '../identity/identity-key.js'

/**
 * Linking a device: the new device asks over blind-pairing with its device key (LinkRequest),
 * and the linking device answers with a proof for it (LinkGrant, in the response's signed
 * additional data, which must fit a DHT record). Then both meet on the link's own topic and
 * speak protomux-rpc: the rooms with their keys one way, the new device's writers the other.
 */
export const LINK_PROTOCOL = 'roost/device-link/v1'
const VERSION = 1
/** The tag after the blind-pairing invite that tells a link code from a room invite. */
const LINK_TAG = 0x4c
/** A room list of more than this is refused before anything is opened. */
export const MAX_LINK_ROOMS = 1000

export interface ParsedLink {
  invite: Buffer
  discoveryKey: Buffer
  /** ms since the epoch. */
  expires: number
}

export function encodeLinkCode(invite: Buffer): string {
  return DEVICE_LINK_PREFIX + z32.encode(b4a.concat([invite, b4a.from([LINK_TAG])]))
}

/** Exactly one link code (with or without its prefix, around spaces); LINK_INVALID else. */
export function parseLinkCode(input: unknown): ParsedLink {
  if (typeof input !== 'string') throw RoostError.linkInvalid('not text')
  let code = input.trim().replace(/\s+/g, '')
  if (code.startsWith(DEVICE_LINK_PREFIX)) code = code.slice(DEVICE_LINK_PREFIX.length)
  if (code.length === 0) throw RoostError.linkInvalid('empty')
  let bytes: Buffer
  let decoded: { discoveryKey: Buffer; expires: number }
  try {
    bytes = z32.decode(code.toLowerCase())
    decoded = BlindPairing.decodeInvite(bytes)
  } catch {
    throw RoostError.linkInvalid()
  }
  if (!decoded.discoveryKey || decoded.discoveryKey.length !== 32) throw RoostError.linkInvalid()
  const invite = BlindPairing.createInvite(decoded.discoveryKey, decoded).invite
  const tagged = bytes.length === invite.length + 1 && bytes[invite.length] === LINK_TAG
  if (!tagged || !b4a.equals(invite, bytes.subarray(0, invite.length)))
    throw RoostError.linkInvalid('a room invite, or not a canonical link')
  return { invite, discoveryKey: decoded.discoveryKey, expires: decoded.expires || 0 }
}

/** The topic both devices meet on once paired: only they know the link's key. */
export function linkTopic(linkKey: Buffer): Buffer {
  return crypto.hash([b4a.from(LINK_PROTOCOL), linkKey])
}

/**
 * What the new device signs with its device key to be served on one connection: the link and
 * both ends' swarm keys, so the signature is good on this connection only.
 */
export function linkChallenge(topic: Buffer, linker: Buffer, linked: Buffer): Buffer {
  return crypto.hash([b4a.from(LINK_PROTOCOL + '/auth'), topic, linker, linked])
}

/** A struct encoding whose decode demands the canonical bytes (nothing trailing). */
function struct<T>(
  fields: (state: State, m: T, op: 'preencode' | 'encode') => void,
  decode: (state: State) => T
): Encoding<T> {
  return {
    preencode: (state, m) => fields(state, m, 'preencode'),
    encode: (state, m) => fields(state, m, 'encode'),
    decode(state) {
      if (c.uint.decode(state) !== VERSION) throw new Error('unknown link message version')
      return decode(state)
    }
  }
}

function put<T>(enc: Encoding<T>, state: State, value: T, op: 'preencode' | 'encode'): void {
  enc[op](state, value)
}

export interface LinkRequest {
  device: Buffer
}
export const linkRequest = struct<LinkRequest>(
  (s, m, op) => {
    put(c.uint, s, VERSION, op)
    put(c.fixed32, s, m.device, op)
  },
  (s) => ({ device: c.fixed32.decode(s) })
)

export interface LinkGrant {
  /** The identity's proof for the new device (the linking device's chain, extended). */
  proof: Buffer
  name: string
  /** The linking device's swarm key: the new device talks to it only. */
  linker: Buffer
}
export const linkGrant = struct<LinkGrant>(
  (s, m, op) => {
    put(c.uint, s, VERSION, op)
    put(c.buffer, s, m.proof, op)
    put(c.string, s, m.name, op)
    put(c.fixed32, s, m.linker, op)
  },
  (s) => ({
    proof: requireBuffer(c.buffer.decode(s), MAX_ATTESTATION_BYTES),
    name: c.string.decode(s),
    linker: c.fixed32.decode(s)
  })
)

export interface LinkAuth {
  device: Buffer
  signature: Buffer
}
const authFields = (s: State, m: LinkAuth, op: 'preencode' | 'encode'): void => {
  put(c.fixed32, s, m.device, op)
  put(c.fixed64, s, m.signature, op)
}
const decodeAuth = (s: State): LinkAuth => ({
  device: c.fixed32.decode(s),
  signature: c.fixed64.decode(s)
})

export interface LinkedRoomKeys {
  key: Buffer
  encryptionKey: Buffer
}
const roomKeys: Encoding<LinkedRoomKeys> = {
  preencode(s, m) {
    c.fixed32.preencode(s, m.key)
    c.fixed32.preencode(s, m.encryptionKey)
  },
  encode(s, m) {
    c.fixed32.encode(s, m.key)
    c.fixed32.encode(s, m.encryptionKey)
  },
  decode: (s) => ({ key: c.fixed32.decode(s), encryptionKey: c.fixed32.decode(s) })
}

export const linkAuth = struct<LinkAuth>((s, m, op) => {
  put(c.uint, s, VERSION, op)
  authFields(s, m, op)
}, decodeAuth)

export interface LinkRooms {
  rooms: LinkedRoomKeys[]
}
export const linkRooms = struct<LinkRooms>(
  (s, m, op) => {
    put(c.uint, s, VERSION, op)
    put(c.array(roomKeys), s, m.rooms, op)
  },
  (s) => ({ rooms: requireLength(c.array(roomKeys).decode(s), MAX_LINK_ROOMS) })
)

export interface LinkedWriter {
  /** The room's discovery key. */
  room: Buffer
  writer: Buffer
  boxKey: Buffer
  binding: Buffer
}
const linkedWriter: Encoding<LinkedWriter> = {
  preencode(s, m) {
    c.fixed32.preencode(s, m.room)
    c.fixed32.preencode(s, m.writer)
    c.fixed32.preencode(s, m.boxKey)
    c.buffer.preencode(s, m.binding)
  },
  encode(s, m) {
    c.fixed32.encode(s, m.room)
    c.fixed32.encode(s, m.writer)
    c.fixed32.encode(s, m.boxKey)
    c.buffer.encode(s, m.binding)
  },
  decode: (s) => ({
    room: c.fixed32.decode(s),
    writer: c.fixed32.decode(s),
    boxKey: c.fixed32.decode(s),
    binding: requireBuffer(c.buffer.decode(s), MAX_ATTESTATION_BYTES)
  })
}

export interface LinkWriters extends LinkAuth {
  writers: LinkedWriter[]
}
export const linkWriters = struct<LinkWriters>(
  (s, m, op) => {
    put(c.uint, s, VERSION, op)
    authFields(s, m, op)
    put(c.array(linkedWriter), s, m.writers, op)
  },
  (s) => ({
    ...decodeAuth(s),
    writers: requireLength(c.array(linkedWriter).decode(s), MAX_LINK_ROOMS)
  })
)

/** Where the person's own record is: the linking device's record key and encryption key. */
export const linkRecord = struct<LinkedRoomKeys>(
  (s, m, op) => {
    put(c.uint, s, VERSION, op)
    put(roomKeys, s, m, op)
  },
  (s) => roomKeys.decode(s)
)

/** The rooms (discovery keys) the linking device added writers in: it skips rooms it cannot write. */
export interface LinkAdded {
  rooms: Buffer[]
}
export const linkAdded = struct<LinkAdded>(
  (s, m, op) => {
    put(c.uint, s, VERSION, op)
    put(c.array(c.fixed32), s, m.rooms, op)
  },
  (s) => ({ rooms: requireLength(c.array(c.fixed32).decode(s), MAX_LINK_ROOMS) })
)

/** Decodes exactly one message, or null. */
export function decodeExactly<T>(enc: Encoding<T>, bytes: Buffer | null): T | null {
  if (bytes === null) return null
  try {
    const value = c.decode(enc, bytes)
    return b4a.equals(c.encode(enc, value), bytes) ? value : null
  } catch {
    return null
  }
}

function requireBuffer(value: Buffer | null, max: number): Buffer {
  if (value === null || value.length > max) throw new Error('bad length')
  return value
}

function requireLength<T>(value: T[], max: number): T[] {
  if (value.length > max) throw new Error('too many')
  return value
}
