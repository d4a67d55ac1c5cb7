const PALETTE_SIZE = 8

/** One or two letters for an avatar. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  if (words.length === 0) return '?'
  const first = [...words[0]][0] ?? '?'
  const second = words.length > 1 ? ([...words[words.length - 1]][0] ?? '') : ''
  return (first + second).toUpperCase()
}

/** A stable colour slot (0..7) for an id, so a person or room keeps its colour everywhere. */
export function colorSlot(id: string): number {
  let hash = 0
  for (let i = 0; i < id.length; i++) hash = (hash * 31 + id.charCodeAt(i)) | 0
  return Math.abs(hash) % PALETTE_SIZE
}
