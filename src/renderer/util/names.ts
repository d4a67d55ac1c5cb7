const PALETTE_SIZE = 8

/** A word's first letter or digit ("(work)" gives "w"), else its first character. */
function leading(word: string): string {
  const chars = [...word]
  return chars.find((c) => /[\p{L}\p{N}]/u.test(c)) ?? chars[0] ?? ''
}

/** One or two letters for an avatar. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  if (words.length === 0) return '?'
  const second = words.length > 1 ? leading(words[words.length - 1]) : ''
  return ((leading(words[0]) || '?') + second).toUpperCase()
}

/** A stable colour slot (0..7) for an id, so a person or room keeps its colour everywhere. */
export function colorSlot(id: string): number {
  let hash = 0
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0
  return Math.abs(hash) % PALETTE_SIZE
}
