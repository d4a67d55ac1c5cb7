import b4a from 'b4a'
import { NONCE_BYTES, openText, sealText as sealWithNonce } from '../epochs/epoch-crypto.js'

/** Text sealed with a 32-byte key (the epochs' secretbox), as one base64 string: nonce, box. */
export function sealText(text: string, key: Buffer): string {
  const { nonce, ciphertext } = sealWithNonce(text, key)
  return b4a.toString(b4a.concat([nonce, ciphertext]), 'base64')
}

/** Null for text that was not sealed with `key` or was changed since. */
export function openSealedText(sealed: string, key: Buffer): string | null {
  const bytes = b4a.from(sealed, 'base64')
  if (bytes.byteLength < NONCE_BYTES) return null
  return openText(bytes.subarray(NONCE_BYTES), bytes.subarray(0, NONCE_BYTES), key)
}
