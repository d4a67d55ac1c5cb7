import { once } from 'events'
import fs from 'fs/promises'
import path from 'path'
import zlib from 'zlib'
import test from 'brittle'
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { MAX_THUMBNAIL_BYTES } from '../../src/shared/api/errors.js'
import { imagePreview, MAX_PREVIEW_FILE_BYTES } from '../../src/core/files/image-preview.js'
import { tempDir } from '../helpers/index.js'

/** The form thumbnailOf in src/core/services/file-sending.ts accepts. */
const DATA_URL = /^data:(image\/(?:png|jpeg|webp|gif));base64,([A-Za-z0-9+/=]+)$/

/**
 * RGBA: red on the left half, a blue-green gradient on the right; with `noise`, 4x4 blocks of
 * seeded noise too, coarse enough to survive a 320 px box filter and so to compress badly.
 */
function picture(width: number, height: number, noise = false): Uint8Array {
  const data = new Uint8Array(width * height * 4)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4
      const n = noise ? (hash((x >> 2) * 65536 + (y >> 2)) >>> 24) - 128 : 0
      const left = x < width / 2
      data[i] = clamp((left ? 255 : 0) + n)
      data[i + 1] = clamp((left ? 0 : (255 * y) / height) + n)
      data[i + 2] = clamp((left ? 0 : (255 * x) / width) + n)
      data[i + 3] = 255
    }
  }
  return data
}

function hash(n: number): number {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

function clamp(v: number): number {
  return Math.max(0, Math.min(255, Math.round(v)))
}

function pngOf(width: number, height: number, data: Uint8Array): Buffer {
  const png = new PNG({ width, height })
  png.data = Buffer.from(data)
  return PNG.sync.write(png)
}

/** A minimal EXIF block (big-endian TIFF) holding only an orientation. */
function exifOrientation(orientation: number): Buffer {
  const tiff = Buffer.alloc(26)
  tiff.write('MM', 0, 'latin1')
  tiff.writeUInt16BE(42, 2)
  tiff.writeUInt32BE(8, 4)
  tiff.writeUInt16BE(1, 8) // one entry
  tiff.writeUInt16BE(0x0112, 10) // Orientation
  tiff.writeUInt16BE(3, 12) // SHORT
  tiff.writeUInt32BE(1, 14)
  tiff.writeUInt16BE(orientation, 18)
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])
}

/** A PNG header claiming `width` x `height`, then whatever `rest` is. */
function pngHeader(width: number, height: number, interlace: number, rest: Buffer): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 6, 0, 0, interlace], 8) // 8-bit RGBA
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])
  return Buffer.concat([signature, chunk('IHDR', ihdr), rest])
}

/** A PNG chunk with a right CRC, so that only what it holds is hostile. */
function chunk(name: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8)
  head.writeUInt32BE(data.byteLength, 0)
  head.write(name, 4, 'latin1')
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])))
  return Buffer.concat([head, data, crc])
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1
  }
  return (crc ^ 0xffffffff) >>> 0
}

/** An Adam7-interlaced 8-bit RGBA PNG (pngjs writes none), every row unfiltered. */
function interlacedPng(width: number, height: number, data: Uint8Array): Buffer {
  const rows: Buffer[] = []
  for (const [x0, y0, dx, dy] of [
    [0, 0, 8, 8],
    [4, 0, 8, 8],
    [0, 4, 4, 8],
    [2, 0, 4, 4],
    [0, 2, 2, 4],
    [1, 0, 2, 2],
    [0, 1, 1, 2]
  ] as const) {
    if (x0 >= width) continue
    for (let y = y0; y < height; y += dy) {
      const row = [0]
      for (let x = x0; x < width; x += dx)
        row.push(...data.subarray((y * width + x) * 4, (y * width + x) * 4 + 4))
      rows.push(Buffer.from(row))
    }
  }
  const idat = chunk('IDAT', zlib.deflateSync(Buffer.concat(rows)))
  return pngHeader(width, height, 1, Buffer.concat([idat, chunk('IEND', Buffer.alloc(0))]))
}

/** `mib` MiB of zeros, deflated a MiB at a time (never all of it in memory). */
async function deflatedZeros(mib: number): Promise<Buffer> {
  const deflate = zlib.createDeflate()
  const parts: Buffer[] = []
  deflate.on('data', (part: Buffer) => parts.push(part))
  const zeros = Buffer.alloc(1024 * 1024)
  for (let i = 0; i < mib; i++) {
    if (!deflate.write(zeros)) await once(deflate, 'drain')
  }
  deflate.end()
  await once(deflate, 'end')
  return Buffer.concat(parts)
}

/** The thumbnail's JPEG, decoded, after checking it is a data: URL thumbnailOf takes. */
function thumbnailImage(t: import('brittle').Test, url: string | null | undefined) {
  const match = DATA_URL.exec(url ?? '')
  t.ok(match, 'a data: URL of the form thumbnailOf accepts')
  t.is(match?.[1], 'image/jpeg')
  const bytes = Buffer.from(match?.[2] ?? '', 'base64')
  t.ok(bytes.byteLength <= MAX_THUMBNAIL_BYTES, `${bytes.byteLength} bytes fit the limit`)
  return jpeg.decode(bytes, { useTArray: true })
}

function pixelAt(image: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const i = (y * image.width + x) * 4
  return Array.from(image.data.subarray(i, i + 3))
}

// the memory tests first, while this process's peak RSS is low enough for a blown one to show
test('an interlaced PNG whose data inflates far past its size: never inflated', async (t) => {
  const dir = await tempDir(t)
  const file = path.join(dir, 'bomb.png')
  // 128 MiB of zeros in ~128 KiB: pngjs inflates an interlaced PNG's data without a bound
  const idat = chunk('IDAT', await deflatedZeros(128))
  await fs.writeFile(
    file,
    pngHeader(64, 64, 1, Buffer.concat([idat, chunk('IEND', Buffer.alloc(0))]))
  )
  const before = process.resourceUsage().maxRSS
  t.alike(await imagePreview(file, 'image/png'), { width: 64, height: 64, thumbnail: null })
  const grown = (process.resourceUsage().maxRSS - before) / 1024
  t.ok(grown < 32, `peak RSS grew ${grown.toFixed(1)} MiB`)
})

test('a JPEG whose decode would pass the memory budget: its size only', async (t) => {
  const dir = await tempDir(t)
  const file = path.join(dir, 'budget.jpg')
  // 24 MP (under the pixel cap) at 4:4:4: jpeg-js would hold some 800 MiB for its blocks
  const bytes = Buffer.from(jpeg.encode({ width: 16, height: 16, data: picture(16, 16) }, 90).data)
  const sof = bytes.indexOf(Buffer.from([0xff, 0xc0]))
  bytes.writeUInt16BE(4000, sof + 5)
  bytes.writeUInt16BE(6000, sof + 7)
  await fs.writeFile(file, bytes)
  const before = process.resourceUsage().maxRSS
  t.alike(await imagePreview(file, 'image/jpeg'), { width: 6000, height: 4000, thumbnail: null })
  const grown = (process.resourceUsage().maxRSS - before) / 1024
  t.ok(grown < 32, `peak RSS grew ${grown.toFixed(1)} MiB`)
})

test('a 1000x600 PNG: its size and a thumbnail of the same shape under the limit', async (t) => {
  const dir = await tempDir(t)
  const file = path.join(dir, 'picture.png')
  await fs.writeFile(file, pngOf(1000, 600, picture(1000, 600)))
  const preview = await imagePreview(file, 'image/png')
  t.is(preview?.width, 1000)
  t.is(preview?.height, 600)
  const image = thumbnailImage(t, preview?.thumbnail)
  t.is(image.width, 320, 'the longest side is 320')
  t.is(image.height, 192, 'the aspect ratio is kept')
  const [r, g] = pixelAt(image, 10, 96)
  t.ok(r! > 200 && g! < 60, 'the left half is still red')
})

test('an interlaced PNG: a thumbnail too', async (t) => {
  const dir = await tempDir(t)
  const file = path.join(dir, 'interlaced.png')
  await fs.writeFile(file, interlacedPng(301, 203, picture(301, 203)))
  const preview = await imagePreview(file, 'image/png')
  t.is(preview?.width, 301)
  t.is(preview?.height, 203)
  const image = thumbnailImage(t, preview?.thumbnail)
  t.is(image.width, 301, 'smaller than 320: its own size')
})

test('a noisy 1000x600 JPEG: lower quality and smaller until the thumbnail fits', async (t) => {
  const dir = await tempDir(t)
  const file = path.join(dir, 'noise.jpg')
  const data = picture(1000, 600, true)
  await fs.writeFile(file, jpeg.encode({ width: 1000, height: 600, data }, 95).data)
  const preview = await imagePreview(file, 'image/jpeg')
  t.is(preview?.width, 1000)
  t.is(preview?.height, 600)
  const image = thumbnailImage(t, preview?.thumbnail)
  t.ok(image.width < 320, `shrunk: the thumbnail is ${image.width}x${image.height}`)
  t.ok(Math.abs(image.width / image.height - 1000 / 600) < 0.02, 'the aspect ratio is kept')
})

test('a JPEG with EXIF orientation 6: size and thumbnail as a person sees it', async (t) => {
  const dir = await tempDir(t)
  const file = path.join(dir, 'turned.jpg')
  // jpeg-js writes exifBuffer as an APP1 segment; its types leave it out, a variable passes it
  const turned = {
    width: 1000,
    height: 600,
    data: picture(1000, 600),
    exifBuffer: exifOrientation(6)
  }
  await fs.writeFile(file, jpeg.encode(turned, 90).data)
  const preview = await imagePreview(file, 'image/jpeg')
  t.is(preview?.width, 600, 'the sides are swapped')
  t.is(preview?.height, 1000)
  const image = thumbnailImage(t, preview?.thumbnail)
  t.is(image.width, 192)
  t.is(image.height, 320)
  t.ok(pixelAt(image, 96, 10)[0]! > 200, 'turned clockwise: what was left is at the top')
  t.ok(pixelAt(image, 96, 310)[0]! < 100, 'and what was right is at the bottom')
})

test('a PNG claiming 100000x100000: its size, never a decode', async (t) => {
  const dir = await tempDir(t)
  const file = path.join(dir, 'huge.png')
  const idat = chunk('IDAT', zlib.deflateSync(Buffer.alloc(1024)))
  await fs.writeFile(file, pngHeader(100000, 100000, 0, idat))
  const started = Date.now()
  t.alike(await imagePreview(file, 'image/png'), {
    width: 100000,
    height: 100000,
    thumbnail: null
  })
  t.ok(Date.now() - started < 1000, 'at once')
})

test('a file over the size cap: its size from its head only', async (t) => {
  const dir = await tempDir(t)
  const file = path.join(dir, 'big.png')
  await fs.writeFile(file, pngOf(40, 30, picture(40, 30)))
  await fs.truncate(file, MAX_PREVIEW_FILE_BYTES + 1) // sparse: no 50 MiB written
  t.alike(await imagePreview(file, 'image/png'), { width: 40, height: 30, thumbnail: null })
})

test('GIF and WebP: their size only', async (t) => {
  const dir = await tempDir(t)
  const gif = path.join(dir, 'a.gif')
  const header = Buffer.from('GIF89a\x20\x03\x58\x02\0\0\0', 'latin1') // 800x600
  await fs.writeFile(gif, Buffer.concat([header, Buffer.from(';')]))
  t.alike(await imagePreview(gif, 'image/gif'), { width: 800, height: 600, thumbnail: null })
  const webp = path.join(dir, 'a.webp')
  const vp8x = Buffer.alloc(30)
  vp8x.write('RIFF', 0, 'latin1')
  vp8x.writeUInt32LE(22, 4)
  vp8x.write('WEBPVP8X', 8, 'latin1')
  vp8x.writeUInt32LE(10, 16)
  vp8x.writeUIntLE(1919, 24, 3) // width - 1
  vp8x.writeUIntLE(1079, 27, 3) // height - 1
  await fs.writeFile(webp, vp8x)
  t.alike(await imagePreview(webp, 'image/webp'), { width: 1920, height: 1080, thumbnail: null })
})

test('garbage, empty, truncated and missing files never throw', async (t) => {
  const dir = await tempDir(t)
  const write = async (name: string, bytes: Buffer | Uint8Array): Promise<string> => {
    const file = path.join(dir, name)
    await fs.writeFile(file, bytes)
    return file
  }
  const png = pngOf(1000, 600, picture(1000, 600, true))
  const jpg = jpeg.encode({ width: 1000, height: 600, data: picture(1000, 600, true) }, 90).data
  const garbage = Buffer.alloc(4096, 0x5a)
  t.is(await imagePreview(await write('garbage.png', garbage), 'image/png'), null, 'garbage')
  t.is(await imagePreview(await write('empty.png', Buffer.alloc(0)), 'image/png'), null, 'empty')
  t.is(await imagePreview(path.join(dir, 'missing.png'), 'image/png'), null, 'missing')
  t.is(await imagePreview(dir, 'image/png'), null, 'a folder')
  if (process.platform !== 'win32')
    t.is(await imagePreview('/dev/zero', 'image/png'), null, 'a device, never read')
  t.is(await imagePreview(await write('a.png', png), 'text/plain'), null, 'not an image type')
  t.is(await imagePreview(await write('b.png', png), 'image/svg+xml'), null, 'no SVG')
  for (const [name, bytes, type] of [
    ['cut.png', png, 'image/png'],
    ['cut.jpg', jpg, 'image/jpeg']
  ] as const) {
    for (const keep of [10, 30, 100, 1000, bytes.byteLength / 2, bytes.byteLength - 10]) {
      const file = await write(name, bytes.subarray(0, Math.floor(keep)))
      const preview = await imagePreview(file, type)
      t.ok(preview === null || preview.width === 1000, `${name} cut to ${Math.floor(keep)} bytes`)
    }
  }
  const flipped = Buffer.from(png)
  for (let i = 100; i < flipped.byteLength; i += 997) flipped[i] ^= 0xff
  const preview = await imagePreview(await write('flipped.png', flipped), 'image/png')
  t.alike(preview, { width: 1000, height: 600, thumbnail: null }, 'a corrupt PNG: its size')
})
