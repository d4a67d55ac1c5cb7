import type { FileInfo } from '../../shared/api/contract.js'
import { MAX_THUMBNAIL_BYTES } from '../../shared/api/errors.js'
import { INLINE_IMAGE_TYPES } from '../../shared/api/file-route.js'

/** Images up to this size download by themselves while their room is on screen. */
export const AUTO_DOWNLOAD_MAX_BYTES = 10 * 1024 * 1024
/** The most characters of a file name shown in a row (the whole name is its title). */
const MAX_SHOWN_NAME = 80

const THUMBNAIL_URL = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/

/** A type a page shows inline: PNG, JPEG, GIF, WebP; never SVG. */
export function isInlineImageType(type: unknown): boolean {
  return typeof type === 'string' && INLINE_IMAGE_TYPES.includes(type)
}

/** The sender's preview when it is a small base64 image data: URL of an inline type; else null. */
export function safeThumbnail(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > Math.ceil(MAX_THUMBNAIL_BYTES / 3) * 4 + 32) {
    return null
  }
  return THUMBNAIL_URL.test(url) ? url : null
}

/** A file shows as an image: an inline type, readable, with a preview to show. */
export function isPreviewImage(file: FileInfo | null | undefined): boolean {
  return (
    file != null &&
    file.unreadable !== true &&
    isInlineImageType(file.type) &&
    safeThumbnail(file.thumbnail) !== null
  )
}

/** A byte count: a finite number from 0 up, else null. */
export function byteCount(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null
}

/** Bidi controls and invisible marks a name could hide its real extension behind. */
// eslint-disable-next-line no-control-regex
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g

/** A line from the core or a peer (an error, a path) without hidden characters, at most `max`. */
export function plainLine(value: unknown, max = 300): string {
  const clean = (typeof value === 'string' ? value : '').replace(HIDDEN, '').trim()
  const chars = [...clean]
  return chars.length <= max ? clean : chars.slice(0, max - 1).join('') + '…'
}

/** A file name for a row: no hidden characters, long ones cut in the middle, the end kept. */
export function shownFileName(name: unknown): string {
  const clean = (typeof name === 'string' ? name : '').replace(HIDDEN, '').trim()
  if (clean === '') return 'file'
  const chars = [...clean]
  if (chars.length <= MAX_SHOWN_NAME) return clean
  const tail = chars.slice(-24).join('')
  return chars.slice(0, MAX_SHOWN_NAME - 25).join('') + '…' + tail
}

/** Pixel size for a preview box: the file's own when it has sane ones, else null. */
export function pixelSize(file: FileInfo): { width: number; height: number } | null {
  const ok = (n: unknown): n is number =>
    typeof n === 'number' && Number.isFinite(n) && n > 0 && n <= 1_000_000
  return ok(file.width) && ok(file.height) ? { width: file.width, height: file.height } : null
}

/** A message in one line elsewhere (room list, notification, reply): its text, else its file. */
export function previewText(message: { text: string; file?: FileInfo | null }): string {
  const text = typeof message.text === 'string' ? message.text : ''
  if (text.trim() !== '' || message.file == null) return text
  if (message.file.unreadable === true) return 'Attachment'
  return (
    (isInlineImageType(message.file.type) ? 'Image: ' : 'File: ') + shownFileName(message.file.name)
  )
}
