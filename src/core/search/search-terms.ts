/**
 * Combining marks: what an accent becomes once NFKD has split it from its letter. (The index is
 * this device's alone, so a Unicode table is fine here, unlike in apply.)
 */
const MARKS = /\p{M}/gu

/**
 * A word as the index keeps it and a query looks it up: case and accents folded ("Café",
 * "CAFE" and "cafe" are one term), compatibility forms unified (full-width letters, ligatures).
 * Null drops the word.
 */
export function searchTerm(word: string): string | null {
  const term = word.normalize('NFKD').replace(MARKS, '').toLowerCase()
  return term.length === 0 ? null : term
}
