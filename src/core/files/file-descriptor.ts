import b4a from 'b4a'
import type { FileInfo } from '../../shared/api/contract.js'
import { MAX_THUMBNAIL_BYTES } from '../../shared/api/errors.js'
import { MAC_BYTES, openBytes, sealBytes } from '../epochs/epoch-crypto.js'
import { decode, encode } from '../rooms/spec/schema/index.js'
import { FILE_BLOCK_BYTES, FILE_HASH_BYTES, FILE_KEY_BYTES } from './file-crypto.js'
import { safeFileName } from './file-name.js'

/** Where a file's bytes are in its blobs core (hyperblobs' id). */
export interface BlobId {
  blockOffset: number
  blockLength: number
  byteOffset: number
  byteLength: number
}

/** What a file message seals: the record `@roost/file-descriptor` (scripts/schema.mjs). */
export interface FileDescriptor {
  name: string
  size: number
  type: string
  hash: Buffer
  core: Buffer
  blob: BlobId
  key: Buffer
  width?: number | null
  height?: number | null
  thumbnail?: Buffer | null
  thumbnailType?: string | null
  direct?: boolean | null
}

/** A sealed descriptor's most bytes: a thumbnail and room for the rest. */
export const MAX_SEALED_DESCRIPTOR_BYTES = MAX_THUMBNAIL_BYTES + 4096 + MAC_BYTES
const MAX_TYPE_CHARS = 255
const MAX_PIXELS = 1 << 20
const DEFAULT_TYPE = 'application/octet-stream'
/** Thumbnails a client shows as an image; any other type is dropped. */
const THUMBNAIL_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif'])

export function sealDescriptor(
  descriptor: FileDescriptor,
  key: Buffer
): { nonce: Buffer; sealed: Buffer } {
  const { nonce, ciphertext } = sealBytes(encode('@roost/file-descriptor', descriptor), key)
  return { nonce, sealed: ciphertext }
}

/**
 * The descriptor a file message seals, checked as a hostile peer may have written it: null when
 * it does not open with `key`, does not decode, or is out of bounds.
 */
export function openDescriptor(sealed: Buffer, nonce: Buffer, key: Buffer): FileDescriptor | null {
  if (sealed.byteLength <= MAC_BYTES || sealed.byteLength > MAX_SEALED_DESCRIPTOR_BYTES) return null
  const plain = openBytes(sealed, nonce, key)
  if (plain === null) return null
  let d: FileDescriptor
  try {
    d = decode('@roost/file-descriptor', plain) as FileDescriptor
  } catch {
    return null
  }
  return inBounds(d) ? d : null
}

function inBounds(d: FileDescriptor): boolean {
  const { blob } = d
  const ints = [d.size, blob.blockOffset, blob.blockLength, blob.byteOffset, blob.byteLength]
  if (!ints.every((n) => Number.isSafeInteger(n) && n >= 0)) return false
  // every block but the last is full: a blob that says otherwise is not one Roost wrote
  if (blob.byteLength !== d.size) return false
  if (blob.blockLength !== Math.ceil(d.size / FILE_BLOCK_BYTES)) return false
  if (d.hash.byteLength !== FILE_HASH_BYTES || d.key.byteLength !== FILE_KEY_BYTES) return false
  if (d.core.byteLength !== 32) return false
  if (d.type.length > MAX_TYPE_CHARS) return false
  if ((d.thumbnail?.byteLength ?? 0) > MAX_THUMBNAIL_BYTES) return false
  return true
}

/** The DTO of a descriptor; an unreadable attachment when there is none. */
export function fileInfoOf(d: FileDescriptor | null): FileInfo {
  if (d === null) {
    return {
      name: 'attachment',
      size: 0,
      type: DEFAULT_TYPE,
      hash: '',
      width: null,
      height: null,
      thumbnail: null,
      direct: false,
      unreadable: true
    }
  }
  const pixels = (n: number | null | undefined): number | null =>
    n !== null && n !== undefined && n > 0 && n <= MAX_PIXELS ? n : null
  const width = pixels(d.width)
  const height = pixels(d.height)
  return {
    name: safeFileName(d.name),
    size: d.size,
    type: cleanType(d.type),
    hash: b4a.toString(d.hash, 'hex'),
    width: width !== null && height !== null ? width : null,
    height: width !== null && height !== null ? height : null,
    thumbnail: thumbnailUrl(d),
    direct: d.direct === true,
    unreadable: false
  }
}

/** A MIME type of one `type/subtype` token pair, lower case; the default otherwise. */
export function cleanType(type: string | null | undefined): string {
  const t = (type ?? '').trim().toLowerCase()
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(t)
    ? t
    : DEFAULT_TYPE
}

function thumbnailUrl(d: FileDescriptor): string | null {
  const bytes = d.thumbnail
  const type = (d.thumbnailType ?? '').toLowerCase()
  if (!bytes || bytes.byteLength === 0 || !THUMBNAIL_TYPES.has(type)) return null
  return `data:${type};base64,${b4a.toString(bytes, 'base64')}`
}
