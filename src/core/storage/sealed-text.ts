import b4a from 'b4a'
import sodium from 'sodium-native'

/** Text sealed with a 32-byte key (XSalsa20-Poly1305), as base64 of nonce and box. */
export function sealText(text: string, key: Buffer): string {
  const message = b4a.from(text)
  const nonce = b4a.alloc(sodium.crypto_secretbox_NONCEBYTES)
  sodium.randombytes_buf(nonce)
  const box = b4a.alloc(message.byteLength + sodium.crypto_secretbox_MACBYTES)
  sodium.crypto_secretbox_easy(box, message, nonce, key)
  return b4a.toString(b4a.concat([nonce, box]), 'base64')
}

/** Null for text that was not sealed with `key` or was changed since. */
export function openSealedText(sealed: string, key: Buffer): string | null {
  const bytes = b4a.from(sealed, 'base64')
  const boxLength = bytes.byteLength - sodium.crypto_secretbox_NONCEBYTES
  if (boxLength < sodium.crypto_secretbox_MACBYTES) return null
  const message = b4a.alloc(boxLength - sodium.crypto_secretbox_MACBYTES)
  const nonce = bytes.subarray(0, sodium.crypto_secretbox_NONCEBYTES)
  const box = bytes.subarray(sodium.crypto_secretbox_NONCEBYTES)
  if (!sodium.crypto_secretbox_open_easy(message, box, nonce, key)) return null
  return b4a.toString(message)
}
