/** WCAG's minimum contrast for normal text: the white initials on a room's avatar. */
export const MIN_CONTRAST = 4.5

const SATURATIONS = [0.5, 0.65, 0.8]

/** FNV-1a: a spread of bits from every character of the key, so keys sharing a prefix differ. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h
}

function hslToRgb(hue: number, sat: number, light: number): [number, number, number] {
  const a = sat * Math.min(light, 1 - light)
  const channel = (n: number): number => {
    const k = (n + hue / 30) % 12
    return Math.round(255 * (light - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))))
  }
  return [channel(0), channel(8), channel(4)]
}

function luminance([r, g, b]: [number, number, number]): number {
  const linear = (c: number): number => {
    const s = c / 255
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
  }
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/** The contrast ratio of white on this colour. */
export function contrastWithWhite(rgb: [number, number, number]): number {
  return 1.05 / (luminance(rgb) + 0.05)
}

/**
 * A room's avatar colour from its key: the same on every device, about a thousand apart (hue and
 * saturation from the key), and as light as white initials allow (a yellow gets darker than a blue).
 */
export function roomColor(key: string): string {
  const h = hash(key)
  const hue = h % 360
  const sat = SATURATIONS[Math.floor(h / 360) % SATURATIONS.length]
  let light = 0.5
  let rgb = hslToRgb(hue, sat, light)
  while (contrastWithWhite(rgb) < MIN_CONTRAST) {
    light -= 0.01
    rgb = hslToRgb(hue, sat, light)
  }
  return '#' + rgb.map((c) => c.toString(16).padStart(2, '0')).join('')
}
