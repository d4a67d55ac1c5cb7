/**
 * Names and topics as every peer stores and shows them. Pure and deterministic, so apply() on
 * every peer cleans a hostile name identically: control characters, bidi embeddings, overrides
 * and isolates, zero-width and other invisible (default-ignorable) characters are removed, runs of
 * white space fold into one space, and the result is cut at `maxChars` code points (never inside a
 * surrogate pair). Cleaning a cleaned string changes nothing.
 *
 * Every set below is a fixed list of code points, never a `\p{...}` property: property tables
 * follow the runtime's Unicode version, and two peers on different Node versions must still store
 * the same name.
 *
 * Kept on purpose, because they are visible and emoji need them: a zero-width joiner between two
 * emoji (👨‍👩‍👧), a variation selector 16 or 15 right after an emoji (❤️) or inside a keycap (1️⃣).
 * Everywhere else they are removed like any other invisible character.
 */

const ZWJ = 0x200d
const VS15 = 0xfe0e
const VS16 = 0xfe0f
const KEYCAP = 0x20e3

/** Consecutive combining diacritics kept on one base letter (a "Zalgo" name stacks hundreds). */
const MAX_MARKS = 4

/** [first, last] code point ranges, sorted. */
type Ranges = readonly (readonly [number, number])[]

/** Removed: controls, format and default-ignorable characters, lone surrogates. */
const INVISIBLE: Ranges = [
  [0x0000, 0x0008], // C0 controls (tab, newline and friends are white space, below)
  [0x000e, 0x001f],
  [0x007f, 0x0084], // DEL, C1 controls
  [0x0086, 0x009f],
  [0x00ad, 0x00ad], // soft hyphen
  [0x034f, 0x034f], // combining grapheme joiner
  [0x0600, 0x0605], // Arabic prepended format characters
  [0x061c, 0x061c], // Arabic letter mark
  [0x06dd, 0x06dd],
  [0x070f, 0x070f],
  [0x0890, 0x0891],
  [0x08e2, 0x08e2],
  [0x115f, 0x1160], // Hangul choseong and jungseong fillers
  [0x17b4, 0x17b5], // Khmer inherent vowels
  [0x180b, 0x180f], // Mongolian variation selectors and vowel separator
  [0x200b, 0x200f], // zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
  [0x202a, 0x202e], // bidi embeddings and overrides
  [0x2060, 0x206f], // word joiner, invisible operators, bidi isolates, deprecated format
  [0x3164, 0x3164], // Hangul filler
  [0xd800, 0xdfff], // surrogates: only lone ones reach here (a pair is one code point)
  [0xfe00, 0xfe0f], // variation selectors
  [0xfeff, 0xfeff], // zero-width no-break space (byte order mark)
  [0xffa0, 0xffa0], // halfwidth Hangul filler
  [0xfff0, 0xfffb], // unassigned specials, interlinear annotation
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f], // Egyptian hieroglyph format controls
  [0x1bca0, 0x1bca3], // shorthand format controls
  [0x1d173, 0x1d17a], // musical symbol format controls
  [0xe0000, 0xe0fff] // tags, variation selectors supplement
]

/** Folded into one space (or kept as a line break, for text that keeps them). */
const SPACE: Ranges = [
  [0x0009, 0x0009],
  [0x000b, 0x000c],
  [0x0020, 0x0020],
  [0x00a0, 0x00a0],
  [0x1680, 0x1680],
  [0x2000, 0x200a],
  [0x202f, 0x202f],
  [0x205f, 0x205f],
  [0x2800, 0x2800], // braille blank: looks like a space, so it is one
  [0x3000, 0x3000]
]
const LINE_BREAK: Ranges = [
  [0x000a, 0x000a],
  [0x000d, 0x000d],
  [0x0085, 0x0085],
  [0x2028, 0x2029]
]

/** The combining diacritics blocks that stacking abuses. */
const MARK: Ranges = [
  [0x0300, 0x036f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x20d0, 0x20ff],
  [0xfe20, 0xfe2f]
]

/** Emoji and pictographic symbols (a fixed superset): what a ZWJ or VS16 may follow. */
const EMOJI: Ranges = [
  [0x00a9, 0x00a9],
  [0x00ae, 0x00ae],
  [0x203c, 0x203c],
  [0x2049, 0x2049],
  [0x2122, 0x2122],
  [0x2139, 0x2139],
  [0x2194, 0x21ff],
  [0x2300, 0x23ff],
  [0x24c2, 0x24c2],
  [0x25a0, 0x27bf],
  [0x2934, 0x2935],
  [0x2b00, 0x2bff],
  [0x3030, 0x3030],
  [0x303d, 0x303d],
  [0x3297, 0x3297],
  [0x3299, 0x3299],
  [0x1f000, 0x1faff]
]

function within(ranges: Ranges, cp: number): boolean {
  for (const [first, last] of ranges) {
    if (cp < first) return false
    if (cp <= last) return true
  }
  return false
}

function isKeycapBase(cp: number): boolean {
  return (cp >= 0x30 && cp <= 0x39) || cp === 0x23 || cp === 0x2a
}

const NONE = 0
const ONE_SPACE = 1
const ONE_BREAK = 2
const BLANK_LINE = 3

/** One pass over the code points; returns them cleaned, uncut. */
function clean(raw: string, keepNewlines: boolean): number[] {
  const cps: number[] = []
  for (const ch of raw) cps.push(ch.codePointAt(0) as number)
  const out: number[] = []
  let gap = NONE
  let marks = 0
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]
    if (within(SPACE, cp)) {
      gap = Math.max(gap, ONE_SPACE)
      continue
    }
    if (within(LINE_BREAK, cp)) {
      if (!keepNewlines) gap = Math.max(gap, ONE_SPACE)
      else if (!(cp === 0x0a && cps[i - 1] === 0x0d))
        gap = gap >= ONE_BREAK ? BLANK_LINE : ONE_BREAK
      continue
    }
    const prev = gap === NONE && out.length > 0 ? out[out.length - 1] : -1
    const next = i + 1 < cps.length ? cps[i + 1] : -1
    if (cp === ZWJ) {
      const joins = (within(EMOJI, prev) || prev === VS16) && within(EMOJI, next)
      if (!joins) continue
    } else if (cp === VS16 || cp === VS15) {
      const presents = within(EMOJI, prev) || (isKeycapBase(prev) && next === KEYCAP)
      if (!presents) continue
    } else if (within(INVISIBLE, cp)) {
      continue
    }
    const mark = within(MARK, cp)
    if (mark && gap === NONE && marks >= MAX_MARKS) continue
    if (gap !== NONE && out.length > 0) {
      if (gap === BLANK_LINE) out.push(0x0a)
      out.push(gap === ONE_SPACE ? 0x20 : 0x0a)
      marks = 0
    }
    gap = NONE
    marks = mark ? marks + 1 : 0
    out.push(cp)
  }
  return out
}

/** Code points to a string, in slices (spreading 64 Ki arguments overflows the stack). */
function text(cps: number[]): string {
  let s = ''
  for (let i = 0; i < cps.length; i += 4096) s += String.fromCodePoint(...cps.slice(i, i + 4096))
  return s
}

export function cleanText(raw: string, maxChars: number, keepNewlines = false): string {
  const max = maxChars > 0 ? Math.floor(maxChars) : 0
  const cleaned = clean(typeof raw === 'string' ? raw : '', keepNewlines)
  if (cleaned.length <= max) return text(cleaned)
  // the cut may strand a joiner, a selector or a space at the end: one more pass settles them
  return text(clean(text(cleaned.slice(0, max)), keepNewlines))
}

export function cleanName(raw: string, maxChars: number): string {
  return cleanText(raw, maxChars)
}
