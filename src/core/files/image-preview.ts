import { constants } from 'fs'
import fs from 'fs/promises'
import zlib from 'zlib'
import { imageSize } from 'image-size'
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { MAX_THUMBNAIL_BYTES } from '../../shared/api/errors.js'
import { boxScale, upright, type Pixels } from './image-pixels.js'

/** An image's size as a person sees it, and a JPEG data: URL of at most MAX_THUMBNAIL_BYTES. */
export interface ImagePreview {
  width: number
  height: number
  thumbnail: string | null
}

/** Larger files are measured from their first bytes only, never decoded. */
export const MAX_PREVIEW_FILE_BYTES = 50 * 1024 * 1024
/** Images of more pixels are measured only, never decoded. */
export const MAX_PREVIEW_PIXELS = 40_000_000
/**
 * What a decode may add to the RSS, reckoned from the header before it starts (measured by
 * bench/image-preview.ts): a 12 MP photo's JPEG, 4:2:0 or 4:4:4, and a 24 MP PNG fit.
 */
export const MAX_DECODE_RSS = 512 * 1024 * 1024
/** RSS per byte jpeg-js counts: it holds each 8x8 block in a typed array of its own. */
const JPEG_RSS_PER_BYTE = 1.75
/** Enough for the size of an image whose header is behind large EXIF or ICC segments. */
const HEAD_BYTES = 512 * 1024
// as the browser app's thumbnails: at most 320 px, then lower quality, then smaller
const MAX_SIDE = 320
const QUALITIES = [80, 60, 45]
const SHRINK = 0.75
const MIN_SIDE = 16
/** Claimed types previewed; the content decides how (a .png that holds a JPEG is one). */
const KINDS: ReadonlySet<string> = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])
/** Content, as image-size names it, that is measured. */
const MEASURED: ReadonlySet<string> = new Set(['png', 'jpg', 'gif', 'webp'])

/**
 * The size of the image at `path` and, for PNG and JPEG, a thumbnail (GIF and WebP: size
 * only), for a file sent from a path where no page made them. Null for what is no image of
 * those four types (by `type` and by content) or cannot be measured. Files over
 * MAX_PREVIEW_FILE_BYTES, images over MAX_PREVIEW_PIXELS or whose decode would add more than
 * MAX_DECODE_RSS, and what fails to decode get their size only. JPEG EXIF orientation is
 * applied; a PNG's eXIf chunk is not. Never throws. The decode is synchronous: a 12 MP JPEG
 * holds the event loop for one to three seconds (bench/image-preview.ts).
 */
export async function imagePreview(path: string, type: string): Promise<ImagePreview | null> {
  try {
    if (!KINDS.has(type.trim().toLowerCase())) return null
    const file = await readCapped(path)
    if (file === null) return null
    const size = imageSize(file.bytes)
    const { width, height } = size
    if (!MEASURED.has(size.type ?? '') || !isSide(width) || !isSide(height)) return null
    const orientation = size.orientation ?? 1
    const turned = orientation >= 5 && orientation <= 8
    const shown = turned ? { width: height, height: width } : { width, height }
    if (!file.whole || width * height > MAX_PREVIEW_PIXELS) return { ...shown, thumbnail: null }
    const pixels = decode(file.bytes, size.type ?? '')
    if (pixels === null || pixels.width !== width || pixels.height !== height)
      return { ...shown, thumbnail: null }
    return { ...shown, thumbnail: jpegThumbnail(pixels, orientation) }
  } catch {
    return null
  }
}

function isSide(n: number | undefined): n is number {
  return n !== undefined && Number.isSafeInteger(n) && n > 0
}

/** A regular file's bytes, or its first HEAD_BYTES when it is over the cap; null when empty. */
async function readCapped(path: string): Promise<{ bytes: Buffer; whole: boolean } | null> {
  // non-blocking: a FIFO with no writer opens at once (and is then no regular file)
  const handle = await fs.open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0))
  try {
    const stat = await handle.stat()
    if (!stat.isFile() || stat.size === 0) return null
    const whole = stat.size <= MAX_PREVIEW_FILE_BYTES
    const bytes = Buffer.alloc(whole ? stat.size : HEAD_BYTES)
    let filled = 0
    while (filled < bytes.byteLength) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.byteLength - filled, filled)
      if (bytesRead === 0) break
      filled += bytesRead
    }
    return filled === 0 ? null : { bytes: bytes.subarray(0, filled), whole }
  } finally {
    await handle.close()
  }
}

/** RGB(A) pixels of a PNG or JPEG; null for other kinds, over the budget or failing. */
function decode(bytes: Buffer, kind: string): Pixels | null {
  try {
    if (kind === 'jpg' && jpegCount(bytes) * JPEG_RSS_PER_BYTE <= MAX_DECODE_RSS) {
      const image = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: false,
        maxResolutionInMP: MAX_PREVIEW_PIXELS / 1e6,
        maxMemoryUsageInMB: MAX_DECODE_RSS / JPEG_RSS_PER_BYTE / 2 ** 20
      })
      return { data: image.data, width: image.width, height: image.height, channels: 3 }
    }
    if (kind === 'png' && pngRss(bytes) <= MAX_DECODE_RSS && interlacedFits(bytes)) {
      const image = PNG.sync.read(bytes)
      return { data: image.data, width: image.width, height: image.height, channels: 4 }
    }
  } catch {
    // malformed, truncated or over jpeg-js's own limits: the size alone
  }
  return null
}

/** Channels of each PNG colour type (grey, RGB, palette, grey and alpha, RGBA). */
const PNG_CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }

/** Bits a pixel of a PNG (IHDR is the first chunk, checked by image-size). */
function pngBits(bytes: Buffer): number {
  return Math.min(16, bytes[24] ?? 16) * (PNG_CHANNELS[bytes[25] ?? 6] ?? 4)
}

/** pngjs's peak as measured: its inflated rows four times over (chunks, joined, unfiltered). */
function pngRss(bytes: Buffer): number {
  const width = bytes.readUInt32BE(16)
  const height = bytes.readUInt32BE(20)
  return 4 * (Math.ceil((width * pngBits(bytes)) / 8) + 1) * height + 4 * width * height
}

/**
 * What jpeg-js allocates for a JPEG by its own count (blocks padded to whole MCUs at 256 bytes,
 * a byte a sample, the output), from its first SOF; NaN when there is none to read.
 */
function jpegCount(bytes: Buffer): number {
  for (let p = 2; p + 10 <= bytes.byteLength;) {
    const marker = bytes[p + 1] ?? 0
    if (bytes[p] !== 0xff) return NaN
    if (marker === 0xff) {
      p++ // fill byte
    } else if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      const height = bytes.readUInt16BE(p + 5)
      const width = bytes.readUInt16BE(p + 7)
      const n = bytes[p + 9] ?? 0
      const factors = Array.from({ length: n }, (_, i) => bytes[p + 11 + i * 3] ?? 0)
      const maxH = Math.max(...factors.map((f) => f >> 4))
      const maxV = Math.max(...factors.map((f) => f & 15))
      const mcusX = Math.ceil(width / 8 / maxH)
      const mcusY = Math.ceil(height / 8 / maxV)
      let cost = width * height * (n + 3)
      for (const f of factors) {
        const blocks = Math.ceil((Math.ceil(width / 8) * (f >> 4)) / maxH)
        const rows = Math.ceil((Math.ceil(height / 8) * (f & 15)) / maxV)
        cost += mcusX * (f >> 4) * mcusY * (f & 15) * 256 + blocks * rows * 64
      }
      return n > 0 ? cost : NaN
    } else {
      p += 2 + bytes.readUInt16BE(p + 2)
    }
  }
  return NaN
}

/**
 * pngjs bounds what it inflates for a plain PNG, not an interlaced one: inflate that here
 * first, bounded by what its seven passes can hold (a filter byte and a partial byte a row).
 */
function interlacedFits(bytes: Buffer): boolean {
  if (bytes.byteLength < 33 || bytes[28] === 0) return true
  const width = bytes.readUInt32BE(16)
  const height = bytes.readUInt32BE(20)
  const bits = pngBits(bytes)
  const parts: Buffer[] = []
  for (let p = 8; p + 12 <= bytes.byteLength;) {
    const length = bytes.readUInt32BE(p)
    if (bytes.toString('latin1', p + 4, p + 8) === 'IDAT')
      parts.push(bytes.subarray(p + 8, p + 8 + length))
    p += 12 + length
  }
  try {
    const most = Math.ceil((width * height * bits) / 8) + 4 * height + 64
    zlib.inflateSync(Buffer.concat(parts), { maxOutputLength: most })
    return true
  } catch {
    return false
  }
}

/** The image shrunk to MAX_SIDE, turned upright, as small a JPEG as needed to fit; or null. */
function jpegThumbnail(pixels: Pixels, orientation: number): string | null {
  let side = Math.min(MAX_SIDE, Math.max(pixels.width, pixels.height))
  const base = upright(boxScale(pixels, side), orientation)
  while (side >= MIN_SIDE) {
    const image = side === Math.max(base.width, base.height) ? base : boxScale(base, side)
    for (const quality of QUALITIES) {
      const { data } = jpeg.encode(image, quality)
      if (data.byteLength <= MAX_THUMBNAIL_BYTES)
        return `data:image/jpeg;base64,${data.toString('base64')}`
    }
    side = Math.floor(side * SHRINK)
  }
  return null
}
