import { RoostError } from '../../shared/api/errors.js'

/** Longer pastes are not searched: an invite is a few hundred characters. */
const MAX_TEXT_CHARS = 64 * 1024
/** z32 runs shorter than this cannot start an invite (even one an email wrapped). */
const MIN_CODE_CHARS = 50
const MAX_CODE_CHARS = 400
/** An invite an email wrapped spans at most this many lines. */
const MAX_LINES_JOINED = 12

const Z32_RUN = /[ybndrfg8ejkmcpqxot1uwisza345h769]+/g
/** Between two pieces of one wrapped code: a line break, spaces, an email quote mark. */
const WRAP = /^[ \t>]*\r?\n[ \t>]*$/

/**
 * Every string in `text` that could be an invite code: each run of z32 letters, and runs joined
 * across line breaks (a code wrapped by an email), all in lower case (z32 has no upper case).
 * Quotes, a roost://invite/ prefix and the sentence around it fall away as non-z32 characters.
 */
export function inviteCandidates(text: string): string[] {
  if (text.length > MAX_TEXT_CHARS) throw RoostError.inviteInvalid('too long')
  const lower = text.toLowerCase()
  const runs = [...lower.matchAll(Z32_RUN)].map((m) => ({
    text: m[0],
    start: m.index,
    end: m.index + m[0].length
  }))
  const candidates: string[] = []
  for (let i = 0; i < runs.length; i++) {
    let joined = runs[i].text
    if (joined.length >= MIN_CODE_CHARS) candidates.push(joined)
    for (let j = i + 1; j < runs.length && j - i < MAX_LINES_JOINED; j++) {
      if (!WRAP.test(lower.slice(runs[j - 1].end, runs[j].start))) break
      joined += runs[j].text
      if (joined.length > MAX_CODE_CHARS) break
      if (joined.length >= MIN_CODE_CHARS) candidates.push(joined)
    }
  }
  return candidates
}

/**
 * The one invite in a pasted text, parsed by `parse` (which throws on what is not an invite).
 * Several copies of the same invite (its code and its link) count as one; two different ones,
 * or none, are INVITE_INVALID.
 */
export function findInvite<T>(text: string, parse: (code: string) => T): T {
  const found = new Map<string, T>()
  for (const candidate of inviteCandidates(text)) {
    let parsed: T
    try {
      parsed = parse(candidate)
    } catch {
      continue
    }
    found.set(candidate, parsed)
  }
  // a line break right after the invite's own bytes leaves a shorter code that parses too
  for (const candidate of found.keys()) {
    for (const other of found.keys()) {
      if (other !== candidate && other.startsWith(candidate)) found.delete(candidate)
    }
  }
  if (found.size > 1) throw RoostError.inviteInvalid('it holds more than one invite')
  const [only] = found.values()
  if (only === undefined) throw RoostError.inviteInvalid('no invite code in it')
  return only
}
