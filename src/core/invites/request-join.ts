import type BlindPairing from 'blind-pairing'
import type { PairingResult } from 'blind-pairing'
import { RoostError } from '../../shared/api/errors.js'
import { DENY } from './invite-admitter.js'
import type { ParsedInvite } from './invite-code.js'

/**
 * Asks the room's online admins to let us in. blind-pairing polls forever and never enforces
 * expiry, so this adds the timeout, maps its rejections to our codes and always closes the candidate.
 */
/** How a pairing's refusals read: by our deny status, or blind-pairing's rejection. */
export interface RefusalErrors {
  [status: number]: () => RoostError
  rejected: () => RoostError
}

export async function requestJoin(
  pairing: BlindPairing,
  invite: ParsedInvite,
  userData: Buffer,
  timeoutMs: number,
  refusals: RefusalErrors | null = null
): Promise<PairingResult> {
  let settle: { resolve(result: PairingResult): void; reject(err: RoostError): void } | null = null
  const outcome = new Promise<PairingResult>((resolve, reject) => {
    settle = { resolve, reject }
  })
  let candidate
  try {
    candidate = pairing.addCandidate({
      invite: invite.invite,
      userData,
      onadd: (result) => settle?.resolve(result)
    })
  } catch (err) {
    throw RoostError.inviteInvalid((err as Error).message)
  }
  candidate.request.on('rejected', (err: { code?: string }) => {
    // blind-pairing knows statuses 1-3; ours (MEMBER_REMOVED) is read from the opened response
    const status = (candidate.request as { response?: { status?: number } }).response?.status
    if (refusals !== null) {
      const refusal = status === undefined ? undefined : refusals[status]
      return settle?.reject((refusal ?? refusals.rejected)())
    }
    settle?.reject(status === DENY.REMOVED ? RoostError.memberRemoved() : rejection(err.code))
  })
  const timer = setTimeout(() => settle?.reject(RoostError.joinTimeout(timeoutMs)), timeoutMs)
  try {
    return await outcome
  } finally {
    clearTimeout(timer)
    await candidate.close()
  }
}

function rejection(code: string | undefined): RoostError {
  switch (code) {
    case 'INVITE_EXPIRED':
      return RoostError.inviteExpired()
    case 'INVITE_USED':
      return RoostError.inviteUsed()
    default:
      // PAIRING_REJECTED: the admin refused a revoked invite (or a malformed request)
      return RoostError.inviteRevoked()
  }
}
