import BlindPairing from 'blind-pairing'
import z32 from 'z32'
import { INVITE_LINK_PREFIX } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { findInvite } from './find-invite-code.js'

export interface ParsedInvite {
  invite: Buffer
  discoveryKey: Buffer
  /** ms since the epoch; 0 = never. */
  expires: number
  /** A blind relay the joiner may use to reach the admin (a room's blind peer); null: none. */
  relay: Buffer | null
}

/**
 * A Roost invite code is blind-pairing's invite, optionally followed by a relay hint: one tag byte
 * and a relay's 32-byte key. A joiner behind a symmetric NAT knows no relay yet (it learns the
 * room's blind peers only once it is in), so without the hint it must hole-punch (0.5–15 s in
 * the NAT lab) or, if the admin is behind a symmetric NAT too, cannot reach the admin at all.
 */
const RELAY_HINT = 1
const RELAY_HINT_BYTES = 1 + 32

export function encodeInviteCode(invite: Buffer, relay: Buffer | null): string {
  if (relay === null) return z32.encode(invite)
  return z32.encode(Buffer.concat([invite, Buffer.from([RELAY_HINT]), relay]))
}

/**
 * Accepts any text holding exactly one invite code or roost://invite/ link: wrapped over lines,
 * in quotes, in upper case, inside a sentence. Anything else is INVITE_INVALID.
 */
export function parseInviteCode(input: unknown): ParsedInvite {
  if (typeof input !== 'string') throw RoostError.inviteInvalid('not text')
  if (input.trim().length === 0) throw RoostError.inviteInvalid('empty')
  try {
    return parseExactInviteCode(input)
  } catch {
    return findInvite(input, parseExactInviteCode)
  }
}

/** Exactly an invite code or a roost://invite/ link, around spaces. */
function parseExactInviteCode(input: string): ParsedInvite {
  let code = input.trim()
  if (code.startsWith(INVITE_LINK_PREFIX)) code = code.slice(INVITE_LINK_PREFIX.length)
  if (code.length === 0) throw RoostError.inviteInvalid('empty')
  let bytes: Buffer
  let decoded: { discoveryKey: Buffer; expires: number }
  try {
    bytes = z32.decode(code)
    decoded = BlindPairing.decodeInvite(bytes)
  } catch (err) {
    throw RoostError.inviteInvalid((err as Error).message)
  }
  // decodeInvite ignores trailing bytes: demand the canonical encoding (plus at most a relay
  // hint), or random strings pass
  const invite = BlindPairing.createInvite(decoded.discoveryKey, decoded).invite
  if (!invite.equals(bytes.subarray(0, invite.length))) {
    throw RoostError.inviteInvalid('not a canonical invite')
  }
  const rest = bytes.subarray(invite.length)
  const hasRelay = rest.length === RELAY_HINT_BYTES && rest[0] === RELAY_HINT
  if (rest.length > 0 && !hasRelay) throw RoostError.inviteInvalid('not a canonical invite')
  if (!decoded.discoveryKey || decoded.discoveryKey.length !== 32)
    throw RoostError.inviteInvalid('no room in it')
  return {
    invite,
    discoveryKey: decoded.discoveryKey,
    expires: decoded.expires || 0,
    relay: hasRelay ? Buffer.from(rest.subarray(1)) : null
  }
}

export function inviteLink(code: string): string {
  return INVITE_LINK_PREFIX + code
}
