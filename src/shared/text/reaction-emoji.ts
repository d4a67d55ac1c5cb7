/** A reaction is one emoji: at most this many UTF-8 bytes (a family ZWJ sequence is 25). */
export const MAX_EMOJI_BYTES = 32
const MAX_EMOJI_CODE_POINTS = 10

const ZWJ = 0x200d
const KEYCAP = 0x20e3

/** Code points that extend the emoji before them: variation selectors, skin tones, tags. */
function isExtender(cp: number): boolean {
  return (
    cp === 0xfe0e ||
    cp === 0xfe0f ||
    cp === KEYCAP ||
    (cp >= 0x1f3fb && cp <= 0x1f3ff) ||
    (cp >= 0xe0020 && cp <= 0xe007f)
  )
}

function isRegionalIndicator(cp: number): boolean {
  return cp >= 0x1f1e6 && cp <= 0x1f1ff
}

/** What may start an emoji (or follow a ZWJ): visible, not a space, a mark or a format character. */
function isBase(cp: number): boolean {
  if (cp < 0xa9) return false // ASCII and Latin-1 punctuation; keycaps are handled apart
  if (cp >= 0x300 && cp <= 0x36f) return false // combining marks
  if (cp >= 0x2000 && cp <= 0x206f && cp !== 0x203c && cp !== 0x2049) return false // spaces, ‼ ⁉ kept
  if (cp === 0x3000 || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff)) return false
  if (cp >= 0xfe00 && cp <= 0xfe0f) return false
  return !isExtender(cp)
}

/**
 * Whether `value` is one emoji as a reaction: one base (or a keycap like 1️⃣, or a flag's pair of
 * regional indicators) with its extenders, joined to more by ZWJ, within MAX_EMOJI_BYTES. A fixed
 * rule over code points, with no Unicode tables, so that every peer's apply decides alike
 * whatever its runtime's Unicode version.
 */
export function isReactionEmoji(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) return false
  if (new TextEncoder().encode(value).length > MAX_EMOJI_BYTES) return false
  const cps = Array.from(value, (ch) => ch.codePointAt(0) as number)
  if (cps.length > MAX_EMOJI_CODE_POINTS) return false
  const first = cps[0]
  if (isRegionalIndicator(first)) return cps.length === 2 && isRegionalIndicator(cps[1])
  if (first < 0x80) {
    // a keycap: 0-9, # or *, an optional VS16, then U+20E3
    if (!/[0-9#*]/.test(String.fromCodePoint(first))) return false
    const rest = cps.slice(1)
    return (
      (rest.length === 1 && rest[0] === KEYCAP) ||
      (rest.length === 2 && rest[0] === 0xfe0f && rest[1] === KEYCAP)
    )
  }
  let expectBase = true
  for (const cp of cps) {
    if (expectBase) {
      if (!isBase(cp) || cp === KEYCAP) return false
      expectBase = false
    } else if (cp === ZWJ) {
      expectBase = true
    } else if (!isExtender(cp) || cp === KEYCAP) {
      return false
    }
  }
  return !expectBase
}
