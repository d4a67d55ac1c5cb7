/** Bytes a file name may take on common file systems. */
const MAX_NAME_BYTES = 200
const FALLBACK = 'file'
// Windows refuses these as names whatever the extension
const RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i

/**
 * A name from a peer made safe to save on any OS: no path, no control or reserved characters,
 * no leading dots or trailing dots and spaces, at most MAX_NAME_BYTES of UTF-8 (cut on a code
 * point, the extension kept). Deterministic, so every device shows the same name.
 */
export function safeFileName(name: string): string {
  let s = ''
  for (const ch of name.normalize('NFC')) {
    const cp = ch.codePointAt(0) ?? 0
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) continue
    if (cp >= 0x202a && cp <= 0x202e) continue // bidi overrides that disguise an extension
    if (cp >= 0x2066 && cp <= 0x2069) continue
    s += '/\\:*?"<>|'.includes(ch) ? '_' : ch
  }
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '')
  if (s === '' || RESERVED.test(s)) s = s === '' ? FALLBACK : '_' + s
  return cutToBytes(s, MAX_NAME_BYTES)
}

function cutToBytes(name: string, max: number): string {
  if (Buffer.byteLength(name) <= max) return name
  const dot = name.lastIndexOf('.')
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : ''
  let stem = ''
  for (const ch of name.slice(0, name.length - ext.length)) {
    if (Buffer.byteLength(stem + ch + ext) > max) break
    stem += ch
  }
  return stem + ext
}

/** `name`, or `name (2)`, `name (3)`… : the n-th candidate for a name that is taken. */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name
  const dot = name.lastIndexOf('.')
  return dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`
}
