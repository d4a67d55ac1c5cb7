import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import type { MemberRequest } from 'blind-pairing'
import { MAX_NAME_CHARS } from '../../shared/api/errors.js'
import { charCount } from '../validate.js'
import { memberBinding, ROLE, type StoredInvite } from '../rooms/ops.js'
import type { Room } from '../rooms/room.js'
import { decodeJoinRequest } from './join-request.js'

/** blind-pairing deny statuses and the error each gives the joiner. */
export const DENY = {
  /** PAIRING_REJECTED: revoked invite or a malformed request */
  REJECTED: 1,
  /** INVITE_USED */
  USED: 2,
  /** INVITE_EXPIRED */
  EXPIRED: 3
} as const

export type InviteState = 'active' | 'expired' | 'used' | 'revoked'

export function inviteState(invite: StoredInvite, now: number): InviteState {
  if (invite.revoked) return 'revoked'
  if (invite.expires !== 0 && invite.expires <= now) return 'expired'
  if (invite.uses !== 0 && invite.used >= invite.uses) return 'used'
  return 'active'
}

/**
 * An admin's answer to a joiner: checks the invite record in the room (any online admin has it),
 * appends the member-add, then hands over the room key and encryption key.
 */
export async function admitJoiner(room: Room, request: MemberRequest): Promise<void> {
  const invite = await room.invite(request.inviteId)
  // without the record we cannot even open the request to deny it; the joiner times out
  if (invite === null) return
  const joinRequest = decodeJoinRequest(request.open(invite.publicKey))
  if (joinRequest === null || !isValidName(joinRequest.name))
    return request.deny({ status: DENY.REJECTED })
  const binding = memberBinding(room.discoveryKey, joinRequest.writer)
  if (!crypto.verify(binding, joinRequest.signature, joinRequest.profile)) {
    return request.deny({ status: DENY.REJECTED })
  }

  const existing = await room.writer(joinRequest.writer)
  const alreadyIn =
    existing !== null &&
    b4a.equals(existing.profile, joinRequest.profile) &&
    (await isActive(room, joinRequest.profile))
  if (!alreadyIn) {
    const state = inviteState(invite, Date.now())
    switch (state) {
      case 'revoked':
        return request.deny({ status: DENY.REJECTED })
      case 'expired':
        return request.deny({ status: DENY.EXPIRED })
      case 'used':
        return request.deny({ status: DENY.USED })
      case 'active':
        break
      default:
        return missingCase(state)
    }
    await room.append([
      {
        name: '@roost/member-add',
        value: {
          writer: joinRequest.writer,
          profile: joinRequest.profile,
          name: joinRequest.name,
          role: ROLE.MEMBER,
          signature: joinRequest.signature,
          inviteId: invite.id
        }
      }
    ])
  }
  request.confirm({ key: room.key, encryptionKey: room.encryptionKey })
}

function isValidName(name: string): boolean {
  return name.trim().length > 0 && charCount(name) <= MAX_NAME_CHARS
}

async function isActive(room: Room, profile: Buffer): Promise<boolean> {
  const member = await room.member(profile)
  return member !== null && !member.removed
}

function missingCase(value: never): never {
  throw new Error('Unhandled case: ' + String(value))
}
