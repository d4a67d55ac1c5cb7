// Draws build/icon.png (512×512 RGBA): a bird on a perch in a rounded teal square.
// Pure Node (zlib for the PNG), so the icon can be regenerated anywhere: node build/make-icon.mjs
import { Buffer } from 'buffer'
import { writeFileSync } from 'fs'
import { URL, fileURLToPath } from 'url'
import { deflateSync } from 'zlib'

const SIZE = 512
const SAMPLES = 4 // per axis, for anti-aliasing

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16))
const TEAL_TOP = hex('#14b8a6')
const TEAL_BOTTOM = hex('#0f5f59')
const CREAM = hex('#fff7ed')
const WING = hex('#fdba74')
const AMBER = hex('#f59e0b')
const EYE = hex('#134e4a')
const PERCH = hex('#c58b4e')

const roundedSquare = (x, y) => {
  const inset = 24
  const radius = 104
  const dx = Math.max(Math.abs(x - SIZE / 2) - (SIZE / 2 - inset - radius), 0)
  const dy = Math.max(Math.abs(y - SIZE / 2) - (SIZE / 2 - inset - radius), 0)
  return dx * dx + dy * dy <= radius * radius
}
const ellipse = (cx, cy, rx, ry) => (x, y) => ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1
const circle = (cx, cy, r) => ellipse(cx, cy, r, r)
const capsule = (ax, ay, bx, by, r) => (x, y) => {
  const t = Math.max(
    0,
    Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2))
  )
  return (x - ax - t * (bx - ax)) ** 2 + (y - ay - t * (by - ay)) ** 2 <= r * r
}
const triangle = (ax, ay, bx, by, cx, cy) => (x, y) => {
  const side = (px, py, qx, qy) => (x - qx) * (py - qy) - (px - qx) * (y - qy)
  const d1 = side(ax, ay, bx, by)
  const d2 = side(bx, by, cx, cy)
  const d3 = side(cx, cy, ax, ay)
  return !((d1 < 0 || d2 < 0 || d3 < 0) && (d1 > 0 || d2 > 0 || d3 > 0))
}

// painted in order, last match wins
const SHAPES = [
  [capsule(112, 384, 400, 384, 14), PERCH],
  [capsule(226, 362, 226, 384, 7), AMBER],
  [capsule(268, 362, 268, 384, 7), AMBER],
  [triangle(150, 262, 166, 330, 72, 352), CREAM],
  [ellipse(240, 290, 112, 84), CREAM],
  [circle(332, 198, 62), CREAM],
  [ellipse(222, 288, 72, 44), WING],
  [triangle(386, 182, 386, 216, 440, 201), AMBER],
  [circle(350, 188, 10), EYE]
]

function sample(x, y) {
  if (!roundedSquare(x, y)) return null
  let color = null
  for (const [inside, fill] of SHAPES) if (inside(x, y)) color = fill
  if (color !== null) return color
  const t = y / SIZE
  return TEAL_TOP.map((top, i) => top + (TEAL_BOTTOM[i] - top) * t)
}

const pixels = Buffer.alloc(SIZE * (SIZE * 4 + 1)) // each row starts with filter byte 0
for (let py = 0; py < SIZE; py++) {
  for (let px = 0; px < SIZE; px++) {
    const sum = [0, 0, 0]
    let covered = 0
    for (let sy = 0; sy < SAMPLES; sy++) {
      for (let sx = 0; sx < SAMPLES; sx++) {
        const c = sample(px + (sx + 0.5) / SAMPLES, py + (sy + 0.5) / SAMPLES)
        if (c === null) continue
        covered++
        for (let i = 0; i < 3; i++) sum[i] += c[i]
      }
    }
    const at = py * (SIZE * 4 + 1) + 1 + px * 4
    if (covered === 0) continue
    for (let i = 0; i < 3; i++) pixels[at + i] = Math.round(sum[i] / covered)
    pixels[at + 3] = Math.round((255 * covered) / (SAMPLES * SAMPLES))
  }
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})
function crc32(buf) {
  let c = 0xffffffff
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}
function chunk(type, data) {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([length, body, crc])
}

const header = Buffer.alloc(13)
header.writeUInt32BE(SIZE, 0)
header.writeUInt32BE(SIZE, 4)
header[8] = 8 // bit depth
header[9] = 6 // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', header),
  chunk('IDAT', deflateSync(pixels, { level: 9 })),
  chunk('IEND', Buffer.alloc(0))
])
writeFileSync(fileURLToPath(new URL('./icon.png', import.meta.url)), png)
