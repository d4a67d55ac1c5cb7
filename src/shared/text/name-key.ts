import { cleanName } from './clean-name.js'

/**
 * Letters that look alike in common fonts, to the Latin letter they pass for. Upper case is
 * looked up before lower-casing (Greek Η looks like H, its lower case η like n), lower case after.
 */
const LOOKALIKE: Record<string, string> = {
  // Cyrillic capitals
  А: 'a',
  В: 'b',
  Е: 'e',
  З: '3',
  І: 'l',
  Ј: 'j',
  К: 'k',
  М: 'm',
  Н: 'h',
  О: 'o',
  Р: 'p',
  С: 'c',
  Ѕ: 's',
  Т: 't',
  У: 'y',
  Х: 'x',
  Ү: 'y',
  Ԛ: 'q',
  Ԝ: 'w',
  // Cyrillic small
  а: 'a',
  е: 'e',
  і: 'l',
  ј: 'j',
  о: 'o',
  р: 'p',
  с: 'c',
  ѕ: 's',
  у: 'y',
  х: 'x',
  һ: 'h',
  ԁ: 'd',
  ӏ: 'l',
  ԛ: 'q',
  ԝ: 'w',
  ү: 'y',
  // Greek capitals
  Α: 'a',
  Β: 'b',
  Ε: 'e',
  Ζ: 'z',
  Η: 'h',
  Ι: 'l',
  Κ: 'k',
  Μ: 'm',
  Ν: 'n',
  Ο: 'o',
  Ρ: 'p',
  Τ: 't',
  Υ: 'y',
  Χ: 'x',
  // Greek small
  α: 'a',
  ι: 'l',
  κ: 'k',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  υ: 'u',
  χ: 'x',
  // Latin and digits
  i: 'l',
  '1': 'l',
  '|': 'l',
  '0': 'o'
}

const MARKS = /\p{M}/u

/**
 * What a name looks like, for telling whether two names could be taken for each other: cleaned,
 * compatibility forms folded (fullwidth and mathematical letters), accents dropped, case folded,
 * lookalike letters mapped to the Latin letter they pass for. Only for comparing: never shown.
 * It may call two different names alike (then both get a key suffix), which is the safe mistake.
 */
export function nameKey(name: string): string {
  const folded = cleanName(name, Infinity).normalize('NFKD')
  let key = ''
  for (const ch of folded) {
    if (MARKS.test(ch)) continue
    const lower = (LOOKALIKE[ch] ?? ch).toLowerCase()
    key += LOOKALIKE[lower] ?? lower
  }
  return key.replace(/rn/g, 'm').replace(/vv/g, 'w')
}
