/**
 * Names and topics as every peer stores and shows them. Pure and deterministic, so apply() on
 * every peer cleans a hostile name identically: control characters, bidi overrides and isolates,
 * zero-width and other invisible format characters are removed, runs of white space fold into one
 * space, and the result is cut at `maxChars` code points (never inside a surrogate pair).
 */
const INVISIBLE =
  /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u034F\u115F\u1160\u17B4\u17B5\u180B-\u180F\u3164\uFE00-\uFE0F\uFFA0\uFFF9-\uFFFB]/gu
const SPACES = /[\s\u2800]+/gu

export function cleanText(raw: string, maxChars: number, keepNewlines = false): string {
  const lines = keepNewlines ? raw.split(/\r\n|\r|\n/) : [raw]
  const cleaned = lines
    .map((line) => line.replace(INVISIBLE, '').replace(SPACES, ' ').trim())
    .join('\n')
    .trim()
  const chars = [...cleaned]
  return chars.length <= maxChars ? cleaned : chars.slice(0, maxChars).join('').trimEnd()
}

export function cleanName(raw: string, maxChars: number): string {
  return cleanText(raw, maxChars)
}
