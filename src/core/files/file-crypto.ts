import b4a from 'b4a'
import sodium from 'sodium-native'

/**
 * The crypto of file content. Each file has its own random XChaCha20 key, carried in its message
 * sealed under the room's epoch key, so a member removed before it was sent never reads it. The
 * stream cipher seeks (its block counter is the byte offset / 64), so any block decrypts alone
 * and a resumed download picks up where it stopped. Integrity: hypercore signs every block, and
 * a BLAKE2b-256 of the plaintext in the message catches a sender's (or a wrong key's) garbage.
 */
export const FILE_KEY_BYTES = sodium.crypto_stream_xchacha20_KEYBYTES
export const FILE_HASH_BYTES = 32
/** Bytes per blobs-core block: every block but a file's last holds exactly this many. */
export const FILE_BLOCK_BYTES = 64 * 1024
const CHACHA_BLOCK_BYTES = 64
/** A fresh key per file, so one nonce (zero) is safe. */
const NONCE = b4a.alloc(sodium.crypto_stream_xchacha20_NONCEBYTES)
const BLOBS_KEY_CONTEXT = b4a.from('roost/blobs-core/v1')

export function newFileKey(): Buffer {
  const key = b4a.alloc(FILE_KEY_BYTES)
  sodium.randombytes_buf(key)
  return key
}

/** Seals or opens (XOR is its own inverse) `data` found at byte `offset` of the file. */
export function xorAt(data: Buffer, offset: number, key: Buffer): Buffer {
  if (offset % CHACHA_BLOCK_BYTES !== 0) throw new Error('offset must be a multiple of 64')
  const out = b4a.allocUnsafe(data.byteLength)
  sodium.crypto_stream_xchacha20_xor_ic(out, data, NONCE, offset / CHACHA_BLOCK_BYTES, key)
  return out
}

/** The hypercore encryption key of the room's blobs cores: every member derives the same. */
export function blobsCoreKey(roomEncryptionKey: Buffer): Buffer {
  const out = b4a.alloc(32)
  sodium.crypto_generichash(out, BLOBS_KEY_CONTEXT, roomEncryptionKey)
  return out
}

/** BLAKE2b-256 over a stream of chunks. */
export class ContentHash {
  private _state: Buffer

  constructor() {
    this._state = b4a.alloc(sodium.crypto_generichash_STATEBYTES)
    sodium.crypto_generichash_init(this._state, null, FILE_HASH_BYTES)
  }

  update(chunk: Buffer): void {
    sodium.crypto_generichash_update(this._state, chunk)
  }

  digest(): Buffer {
    const out = b4a.alloc(FILE_HASH_BYTES)
    sodium.crypto_generichash_final(this._state, out)
    return out
  }
}
