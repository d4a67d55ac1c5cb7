import b4a from 'b4a'
import sodium from 'sodium-native'

/**
 * The crypto of room epochs. An epoch is a random content key; messages are sealed with it on
 * top of the room's core encryption, and its key reaches each device sealed to that device's
 * writer key (ed25519, converted to curve25519). A removed member's devices get no box for the
 * epochs after their removal, so they cannot read what is written in them.
 */
export const EPOCH_ID_BYTES = 32
export const EPOCH_KEY_BYTES = 32
export const SEALED_KEY_BYTES = EPOCH_KEY_BYTES + sodium.crypto_box_SEALBYTES
export const NONCE_BYTES = sodium.crypto_secretbox_NONCEBYTES
export const MAC_BYTES = sodium.crypto_secretbox_MACBYTES

export interface WriterKeyPair {
  publicKey: Buffer
  secretKey: Buffer
}

export interface Epoch {
  id: Buffer
  key: Buffer
}

export function newEpoch(): Epoch {
  const id = b4a.alloc(EPOCH_ID_BYTES)
  const key = b4a.alloc(EPOCH_KEY_BYTES)
  sodium.randombytes_buf(id)
  sodium.randombytes_buf(key)
  return { id, key }
}

/** The epoch key sealed to a writer; null for a writer key that is no curve point. */
export function sealEpochKey(key: Buffer, writer: Buffer): Buffer | null {
  const publicKey = b4a.alloc(sodium.crypto_box_PUBLICKEYBYTES)
  try {
    sodium.crypto_sign_ed25519_pk_to_curve25519(publicKey, writer)
  } catch {
    return null
  }
  const box = b4a.alloc(SEALED_KEY_BYTES)
  sodium.crypto_box_seal(box, key, publicKey)
  return box
}

/** Opens a box sealed to our writer; null when it was not sealed to us or was tampered with. */
export function openEpochKey(box: Buffer, writer: WriterKeyPair): Buffer | null {
  if (box.length !== SEALED_KEY_BYTES) return null
  const publicKey = b4a.alloc(sodium.crypto_box_PUBLICKEYBYTES)
  const secretKey = b4a.alloc(sodium.crypto_box_SECRETKEYBYTES)
  try {
    sodium.crypto_sign_ed25519_pk_to_curve25519(publicKey, writer.publicKey)
    sodium.crypto_sign_ed25519_sk_to_curve25519(secretKey, writer.secretKey)
  } catch {
    return null
  }
  const key = b4a.alloc(EPOCH_KEY_BYTES)
  return sodium.crypto_box_seal_open(key, box, publicKey, secretKey) ? key : null
}

export function sealText(text: string, key: Buffer): { nonce: Buffer; ciphertext: Buffer } {
  return sealBytes(b4a.from(text, 'utf8'), key)
}

/** Null when the key is wrong or the ciphertext was tampered with. */
export function openText(ciphertext: Buffer, nonce: Buffer, key: Buffer): string | null {
  const plain = openBytes(ciphertext, nonce, key)
  return plain === null ? null : b4a.toString(plain, 'utf8')
}

/** Any record sealed with an epoch key under a fresh nonce (a message's text, a file's record). */
export function sealBytes(plain: Buffer, key: Buffer): { nonce: Buffer; ciphertext: Buffer } {
  const nonce = b4a.alloc(NONCE_BYTES)
  sodium.randombytes_buf(nonce)
  const ciphertext = b4a.alloc(plain.length + MAC_BYTES)
  sodium.crypto_secretbox_easy(ciphertext, plain, nonce, key)
  return { nonce, ciphertext }
}

export function openBytes(ciphertext: Buffer, nonce: Buffer, key: Buffer): Buffer | null {
  if (ciphertext.length < MAC_BYTES || nonce.length !== NONCE_BYTES) return null
  const plain = b4a.alloc(ciphertext.length - MAC_BYTES)
  return sodium.crypto_secretbox_open_easy(plain, ciphertext, nonce, key) ? plain : null
}
