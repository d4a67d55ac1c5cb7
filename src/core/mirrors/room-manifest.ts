import b4a from 'b4a'
import c, { type State } from 'compact-encoding'
import crypto from 'hypercore-crypto'
import Hypercore from 'hypercore'

/**
 * What a room's admin tells its blind peers, signed, so a blind peer that cannot read the room
 * still knows which cores belong to it. The room key is its creator's writer core key, which
 * hypercore derives from the creator's signing key: the first manifest a blind peer accepts for
 * a room is signed by that key; every later one by an admin of the manifest it replaces.
 */
export interface RoomManifestBody {
  roomKey: Buffer
  /** Strictly increasing per room: a blind peer keeps the highest it has verified. */
  version: number
  /** Blind peers the room has added (`mirror-add`): a blind peer not listed stops keeping it. */
  mirrors: Buffer[]
  /** Writer core keys of the room's admins: who may sign the next manifest. */
  admins: Buffer[]
  /** Writer core keys of the room's members (a removed member's writers are left out). */
  writers: Buffer[]
  /** The room's other cores: Autobase's system, encryption and view cores. */
  cores: Buffer[]
  /** The members' blobs cores (their files); a manifest with any is format 2. */
  blobs?: Buffer[]
}

export interface RoomManifest extends RoomManifestBody {
  blobs: Buffer[]
  /** The signer's ed25519 public key; its writer core key is `Hypercore.key(signer)`. */
  signer: Buffer
  signature: Buffer
}

/** The protomux channel manifests travel on, beside blind-peer's own on the same connection. */
export const MANIFEST_PROTOCOL = 'roost/room-manifest/v1'
export const MANIFEST_METHOD = 'put'
/** Asks a blind peer for the manifests that prove a room's registration, oldest first. */
export const MANIFEST_PROOF_METHOD = 'proof'
/** Why a blind peer that never saw the room refuses a manifest not signed by its creator. */
export const UNREGISTERED_REASON = 'a room registers first with its creator key'

export const MANIFEST_LIMITS = {
  mirrors: 32,
  admins: 256,
  writers: 4096,
  cores: 64,
  blobs: 4096
} as const

/** Format 1 has no blobs list, so blind peers from before files still take rooms without any. */
const FORMAT_WITHOUT_BLOBS = 1
const FORMAT_WITH_BLOBS = 2
const SIGNING_NAMESPACE = b4a.from('roost/room-manifest/v1\n')

type KeyList = 'mirrors' | 'admins' | 'writers' | 'cores'
const LISTS: KeyList[] = ['mirrors', 'admins', 'writers', 'cores']

/** One pass of compact-encoding over a body: `pre` sizes the state, `enc` writes it. */
function bodyPass(state: State, body: RoomManifestBody, signer: Buffer, pass: 'pre' | 'enc'): void {
  const uint = (n: number): void =>
    pass === 'pre' ? c.uint.preencode(state, n) : c.uint.encode(state, n)
  const key = (k: Buffer): void =>
    pass === 'pre' ? c.fixed32.preencode(state, k) : c.fixed32.encode(state, k)
  const blobs = body.blobs ?? []
  uint(blobs.length > 0 ? FORMAT_WITH_BLOBS : FORMAT_WITHOUT_BLOBS)
  key(body.roomKey)
  uint(body.version)
  for (const list of LISTS) {
    uint(body[list].length)
    for (const k of body[list]) key(k)
  }
  if (blobs.length > 0) {
    uint(blobs.length)
    for (const k of blobs) key(k)
  }
  key(signer)
}

function decodeKeys(state: State, max: number): Buffer[] {
  const n = c.uint.decode(state)
  if (n > max) throw new Error('too many keys')
  const keys: Buffer[] = []
  for (let i = 0; i < n; i++) keys.push(c.fixed32.decode(state))
  return keys
}

function encodeBody(body: RoomManifestBody, signer: Buffer): Buffer {
  const state = c.state()
  bodyPass(state, body, signer, 'pre')
  state.buffer = b4a.alloc(state.end)
  bodyPass(state, body, signer, 'enc')
  return state.buffer
}

function signable(bodyBytes: Buffer): Buffer {
  return b4a.concat([SIGNING_NAMESPACE, bodyBytes])
}

/** Signs `body` with a writer's key pair (`room.base.local.keyPair`). */
export function signManifest(
  body: RoomManifestBody,
  keyPair: { publicKey: Buffer; secretKey: Buffer }
): Buffer {
  const bytes = encodeBody(body, keyPair.publicKey)
  return b4a.concat([bytes, crypto.sign(signable(bytes), keyPair.secretKey)])
}

export type ManifestParse = { ok: true; manifest: RoomManifest } | { ok: false; reason: string }

/**
 * Parses and checks a manifest from the wire: canonical encoding, sizes and the signature
 * (whether the signer may sign for the room is the receiver's business). Never throws.
 */
export function parseManifest(bytes: Buffer): ManifestParse {
  let manifest: RoomManifest
  let bodyEnd: number
  try {
    const state = { start: 0, end: bytes.byteLength, buffer: bytes }
    const format = c.uint.decode(state)
    if (format !== FORMAT_WITHOUT_BLOBS && format !== FORMAT_WITH_BLOBS)
      return { ok: false, reason: 'unknown manifest format' }
    const roomKey = c.fixed32.decode(state)
    const version = c.uint.decode(state)
    const lists = {} as Record<KeyList, Buffer[]>
    for (const list of LISTS) lists[list] = decodeKeys(state, MANIFEST_LIMITS[list])
    const blobs = format === FORMAT_WITH_BLOBS ? decodeKeys(state, MANIFEST_LIMITS.blobs) : []
    const signer = c.fixed32.decode(state)
    bodyEnd = state.start
    const signature = c.fixed64.decode(state)
    if (state.start !== bytes.byteLength) return { ok: false, reason: 'trailing bytes' }
    manifest = { roomKey, version, ...lists, blobs, signer, signature }
  } catch {
    return { ok: false, reason: 'malformed manifest' }
  }
  const body = bytes.subarray(0, bodyEnd)
  if (!b4a.equals(encodeBody(manifest, manifest.signer), body)) {
    return { ok: false, reason: 'not the canonical encoding' }
  }
  if (!crypto.verify(signable(body), manifest.signature, manifest.signer)) {
    return { ok: false, reason: 'bad signature' }
  }
  return { ok: true, manifest }
}

/** The writer core key a signing key makes (Autobase writers: hypercore manifest v1, one signer). */
export function writerKeyOf(signer: Buffer): Buffer {
  return (Hypercore as unknown as { key(publicKey: Buffer): Buffer }).key(signer)
}

export function hasKey(keys: Buffer[], key: Buffer): boolean {
  return keys.some((k) => b4a.equals(k, key))
}

/** A list of signed manifests (a proof), each as its bytes. */
export const manifestListEncoding = {
  preencode(state: State, list: Buffer[]): void {
    c.uint.preencode(state, list.length)
    for (const bytes of list) c.buffer.preencode(state, bytes)
  },
  encode(state: State, list: Buffer[]): void {
    c.uint.encode(state, list.length)
    for (const bytes of list) c.buffer.encode(state, bytes)
  },
  decode(state: State): Buffer[] {
    const n = c.uint.decode(state)
    if (n > MAX_PROOF) throw new Error('proof too long')
    const list: Buffer[] = []
    for (let i = 0; i < n; i++) {
      const bytes = c.buffer.decode(state)
      if (bytes !== null) list.push(bytes)
    }
    return list
  }
}

/** Manifests a proof may hold: one per change of the room's admins, and the latest. */
export const MAX_PROOF = 128

/** The reply to a `put`: accepted, or why not, and the version the blind peer holds. */
export interface ManifestReply {
  accepted: boolean
  version: number
  reason: string
}

export const manifestReplyEncoding = {
  preencode(state: State, m: ManifestReply): void {
    c.uint.preencode(state, m.accepted ? 1 : 0)
    c.uint.preencode(state, m.version)
    c.string.preencode(state, m.reason)
  },
  encode(state: State, m: ManifestReply): void {
    c.uint.encode(state, m.accepted ? 1 : 0)
    c.uint.encode(state, m.version)
    c.string.encode(state, m.reason)
  },
  decode(state: State): ManifestReply {
    return {
      accepted: c.uint.decode(state) === 1,
      version: c.uint.decode(state),
      reason: c.string.decode(state)
    }
  }
}
