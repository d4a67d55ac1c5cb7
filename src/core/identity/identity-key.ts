import b4a from 'b4a'
import bip39 from 'bip39-mnemonic'
import c from 'compact-encoding'
import type { State } from 'compact-encoding'
import crypto from 'hypercore-crypto'
import IdentityKey, { type KeyPair, type Proof } from 'keet-identity-key'
import encoding from 'keet-identity-key/lib/encoding.js'
import { RoostError } from '../../shared/api/errors.js'

/**
 * One person, many devices (issue #15), over keet-identity-key 3.2.0: an identity key (from a
 * 24-word phrase, or an existing profile key pair) vouches for device keys in a proof chain, and
 * a device binds a room's writer core to that identity. Verifying reads no clock: it is safe
 * inside Autobase apply().
 */

export type { KeyPair }

/** An identity that can vouch for devices. Its secret key is the phrase's (or the old profile's). */
export interface Identity {
  readonly publicKey: Buffer
  readonly keyPair: KeyPair
}

/** What a verified proof or writer binding says. */
export interface Vouched {
  identity: Buffer
  /** The device that signed; the identity itself when the proof has no device chain. */
  device: Buffer
  /** The proof's epoch in ms, at 1 s resolution (floor). */
  epoch: number
  /** 8 bytes naming the epoch: keep the highest per identity, pass it back to refuse older ones. */
  receipt: Buffer
}

/** What a verifier already knows: the identity it expects, the newest receipt it holds for it. */
export interface Expected {
  identity?: Buffer
  receipt?: Buffer
}

export const PHRASE_WORDS = 24
export const WRITER_BINDING_TAG = 'roost/device-writer/v1'
/** Each device in a chain costs one signature check in apply: longer chains are refused. */
export const MAX_PROOF_DEVICES = 16
/** A proof with data: version, epoch, identity, chain length, flags, data signature (107 B) + 96 B a device. */
export const MAX_ATTESTATION_BYTES = 107 + 96 * MAX_PROOF_DEVICES

const PROOF_VERSION = 1
const RECEIPT_BYTES = 8
const { ProofEncoding, ReceiptEncoding } = encoding

const writerBindingEncoding = {
  preencode(state: State, m: { roomKey: Buffer; writerKey: Buffer }) {
    c.string.preencode(state, WRITER_BINDING_TAG)
    c.fixed32.preencode(state, m.roomKey)
    c.fixed32.preencode(state, m.writerKey)
  },
  encode(state: State, m: { roomKey: Buffer; writerKey: Buffer }) {
    c.string.encode(state, WRITER_BINDING_TAG)
    c.fixed32.encode(state, m.roomKey)
    c.fixed32.encode(state, m.writerKey)
  },
  decode(): never {
    throw new Error('a writer binding is only encoded, never decoded')
  }
}

/** 24 fresh words (256 bits of entropy and an 8-bit checksum), English list, single spaces. */
export function newPhrase(): string {
  return IdentityKey.generateMnemonic()
}

/** Lower case and single spaces, as the words are checked and hashed. */
export function normalizePhrase(words: string): string {
  return bip39.normalizeMnemonic(words)
}

/** Whether `words` is 24 words of the BIP-39 English list with a good checksum (any case and spacing). */
export function isValidPhrase(words: unknown): boolean {
  if (typeof words !== 'string') return false
  const phrase = normalizePhrase(words)
  if (phrase.split(' ').length !== PHRASE_WORDS) return false
  try {
    // mnemonicToEntropy knows twelve word lists: English is the one that maps back to the same words
    return bip39.entropyToMnemonic(bip39.mnemonicToEntropy(phrase)) === phrase
  } catch {
    return false
  }
}

/** The identity the phrase stands for (PBKDF2, ~10 ms); PHRASE_INVALID for anything else. */
export async function identityFromPhrase(phrase: unknown): Promise<Identity> {
  if (!isValidPhrase(phrase)) throw RoostError.phraseInvalid()
  const seed = await IdentityKey.deriveSeed(normalizePhrase(phrase as string))
  const id = await IdentityKey.from({ seed })
  const keyPair = {
    publicKey: b4a.from(id.identityKeyPair.publicKey),
    secretKey: b4a.from(id.identityKeyPair.secretKey)
  }
  id.clear()
  seed.fill(0)
  return { publicKey: keyPair.publicKey, keyPair }
}

/** An existing profile key pair (hypercore-crypto: 32 B public, 64 B secret) as an identity root. */
export function identityFromKeyPair(keyPair: KeyPair): Identity {
  if (!isKey(keyPair.publicKey, 32) || !isKey(keyPair.secretKey, 64))
    throw RoostError.invalidArgument('An identity key pair is 32 and 64 bytes')
  const again = crypto.keyPair(keyPair.secretKey.subarray(0, 32))
  if (
    !b4a.equals(again.publicKey, keyPair.publicKey) ||
    !b4a.equals(again.secretKey, keyPair.secretKey)
  )
    throw RoostError.invalidArgument('That secret key is not the public key’s')
  return { publicKey: keyPair.publicKey, keyPair }
}

/**
 * The identity vouches for a device: a new epoch's first proof (139 B). Verifiers that saw this
 * epoch refuse every proof of an older one, so a restore from the phrase revokes the old devices.
 * `epoch` (ms, default now) must be above every epoch the rooms have seen, or it is refused there.
 */
export async function deviceProof(
  identity: Identity,
  devicePublicKey: Buffer,
  opts: { epoch?: number } = {}
): Promise<Buffer> {
  requireKey(devicePublicKey, 'A device public key')
  if (opts.epoch === undefined)
    return IdentityKey.bootstrap({ identity: identity.keyPair }, devicePublicKey)
  if (!Number.isSafeInteger(opts.epoch) || opts.epoch < 0)
    throw RoostError.invalidArgument('An epoch is a time in ms')
  // what bootstrap does, with the epoch given instead of read from the clock
  const root = {
    version: PROOF_VERSION,
    epoch: opts.epoch,
    identity: identity.publicKey,
    chain: []
  }
  return IdentityKey.attestDevice(devicePublicKey, identity.keyPair, root)
}

/** A device already vouched for vouches for another (+96 B), without the phrase; same epoch. */
export function extendProof(
  newDevicePublicKey: Buffer,
  parent: KeyPair,
  parentProof: Buffer
): Buffer {
  requireKey(newDevicePublicKey, 'A device public key')
  requireProofOf(parentProof, parent)
  const proof = IdentityKey.attestDevice(newDevicePublicKey, parent, parentProof)
  if (decodeProof(proof) === null)
    throw RoostError.invalidArgument(`A proof vouches for at most ${MAX_PROOF_DEVICES} devices`)
  return proof
}

/** The device signs that this writer core is its in this room (proof + 64 B). */
export function bindWriter(
  roomKey: Buffer,
  writerKey: Buffer,
  deviceKeyPair: KeyPair,
  proof: Buffer
): Buffer {
  requireKey(roomKey, 'A room key')
  requireKey(writerKey, 'A writer key')
  requireProofOf(proof, deviceKeyPair)
  return IdentityKey.attestData(bindingBytes(roomKey, writerKey), deviceKeyPair, proof)
}

/**
 * Who bound `writerKey` in `roomKey`, or null for anything else: a binding for another room or
 * writer, another identity than `expected.identity`, an epoch older than `expected.receipt`'s, a
 * chain over MAX_PROOF_DEVICES, a non-canonical encoding, or any bytes at all. Never throws, reads
 * no clock.
 */
export function verifyWriterBinding(
  attestation: unknown,
  roomKey: Buffer,
  writerKey: Buffer,
  expected: Expected = {}
): Vouched | null {
  if (!isKey(roomKey, 32) || !isKey(writerKey, 32)) return null
  return verifyProof(attestation, bindingBytes(roomKey, writerKey), expected)
}

/** A device proof's identity, device and epoch (no data attested), or null. Never throws. */
export function verifyDeviceProof(proof: unknown, expected: Expected = {}): Vouched | null {
  return verifyProof(proof, null, expected)
}

/** A receipt's epoch in ms, or null when it is not one. */
export function receiptEpoch(receipt: unknown): number | null {
  if (!(receipt instanceof Uint8Array) || receipt.byteLength !== RECEIPT_BYTES) return null
  try {
    return c.decode(ReceiptEncoding, b4a.from(receipt)).epoch
  } catch {
    return null
  }
}

/** A proof attesting `data` (null: a device proof, attesting nothing), or null; never throws. */
function verifyProof(bytes: unknown, data: Buffer | null, expected: Expected): Vouched | null {
  try {
    if (expected.identity !== undefined && !isKey(expected.identity, 32)) return null
    if (expected.receipt !== undefined && receiptEpoch(expected.receipt) === null) return null
    const proof = decodeProof(bytes)
    if (proof === null || Boolean(proof.data) !== (data !== null)) return null
    const verified = IdentityKey.verify(proof, data, {
      expectedIdentity: expected.identity,
      receipt: expected.receipt
    })
    if (verified === null) return null
    const { identityPublicKey: identity, devicePublicKey: device, receipt } = verified
    return { identity, device, epoch: proof.epoch, receipt }
  } catch {
    return null
  }
}

/** The bytes a writer binding signs: the tag, the room key and the writer key. */
export function bindingBytes(roomKey: Buffer, writerKey: Buffer): Buffer {
  return c.encode(writerBindingEncoding, { roomKey, writerKey })
}

/** A proof of this version, canonically encoded (no trailing byte), with a short chain; else null. */
function decodeProof(bytes: unknown): Proof | null {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength > MAX_ATTESTATION_BYTES) return null
  const buf = b4a.from(bytes)
  try {
    const proof = c.decode(ProofEncoding, buf)
    if (proof.version !== PROOF_VERSION || proof.chain.length > MAX_PROOF_DEVICES) return null
    // the library verifies a proof with any tail, or with any odd flags byte: demand the canonical bytes
    return b4a.equals(c.encode(ProofEncoding, proof), buf) ? proof : null
  } catch {
    return null
  }
}

/** Our own callers' mistakes, caught before they make a proof no one accepts. */
function requireProofOf(proof: Buffer, keyPair: KeyPair): void {
  if (!isKey(keyPair.publicKey, 32) || !isKey(keyPair.secretKey, 64))
    throw RoostError.invalidArgument('A device key pair is 32 and 64 bytes')
  const verified = verifyDeviceProof(proof)
  if (verified === null || !b4a.equals(verified.device, keyPair.publicKey))
    throw RoostError.invalidArgument('That proof does not vouch for this device')
}

function requireKey(key: unknown, what: string): void {
  if (!isKey(key, 32)) throw RoostError.invalidArgument(`${what} is 32 bytes`)
}

function isKey(key: unknown, bytes: number): key is Buffer {
  return b4a.isBuffer(key) && key.byteLength === bytes
}
