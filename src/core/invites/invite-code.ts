import BlindPairing from 'blind-pairing'
import z32 from 'z32'
import { INVITE_LINK_PREFIX } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'

export interface ParsedInvite {
  invite: Buffer
  discoveryKey: Buffer
  /** ms since the epoch; 0 = never. */
  expires: number
}

/** Accepts an invite code or a roost://invite/ link; anything else is INVITE_INVALID. */
export function parseInviteCode(input: unknown): ParsedInvite {
  if (typeof input !== 'string') throw RoostError.inviteInvalid('not text')
  let code = input.trim()
  if (code.startsWith(INVITE_LINK_PREFIX)) code = code.slice(INVITE_LINK_PREFIX.length)
  if (code.length === 0) throw RoostError.inviteInvalid('empty')
  let invite: Buffer
  let decoded: { discoveryKey: Buffer; expires: number }
  try {
    invite = z32.decode(code)
    decoded = BlindPairing.decodeInvite(invite)
  } catch (err) {
    throw RoostError.inviteInvalid((err as Error).message)
  }
  // decodeInvite ignores trailing bytes: demand the canonical encoding, or random strings pass
  const canonical = BlindPairing.createInvite(decoded.discoveryKey, decoded).invite
  if (!canonical.equals(invite)) throw RoostError.inviteInvalid('not a canonical invite')
  if (!decoded.discoveryKey || decoded.discoveryKey.length !== 32)
    throw RoostError.inviteInvalid('no room in it')
  return { invite, discoveryKey: decoded.discoveryKey, expires: decoded.expires || 0 }
}

export function inviteLink(code: string): string {
  return INVITE_LINK_PREFIX + code
}
