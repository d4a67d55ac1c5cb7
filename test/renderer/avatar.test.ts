import crypto from 'crypto'
import test from 'brittle'
import { initials } from '../../src/renderer/util/names.js'
import { contrastWithWhite, MIN_CONTRAST, roomColor } from '../../src/renderer/util/room-color.js'

function rgbOf(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number]
}

test('room colour: one per key, every device alike, white initials readable on it', (t) => {
  const keys = Array.from({ length: 2000 }, (_, i) =>
    crypto.createHash('sha256').update(String(i)).digest('hex').slice(0, 52)
  )
  const colors = keys.map(roomColor)
  t.alike(keys.map(roomColor), colors, 'the same key gives the same colour')
  t.ok(
    colors.every((c) => /^#[0-9a-f]{6}$/.test(c)),
    'an sRGB hex colour'
  )
  const worst = Math.min(...colors.map((c) => contrastWithWhite(rgbOf(c))))
  t.ok(worst >= MIN_CONTRAST, `white on every one is readable (worst ${worst.toFixed(2)}:1)`)
  const distinct = new Set(colors).size
  t.ok(distinct > 600, `keys spread over many colours (${distinct} for 2000 keys)`)
  t.not(roomColor(keys[0]), roomColor(keys[0].slice(0, -1) + 'x'), 'one character apart differ')
})

test('avatar initials skip punctuation: "general (work)" is GW, not G(', (t) => {
  t.is(initials('general (work)'), 'GW')
  t.is(initials('Ana María'), 'AM')
  t.is(initials('«שלום» עולם'), 'שע')
  t.is(initials('(( ))'), '()', 'a name of punctuation alone keeps its characters')
  t.is(initials('   '), '?')
})
