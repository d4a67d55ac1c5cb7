import b4a from 'b4a'
import { verifyWriterBinding } from '../identity/identity-key.js'
import type { MemberRequest } from 'blind-pairing'
import { MAX_NAME_CHARS } from '../../shared/api/errors.js'
import { cleanName } from '../../shared/text/clean-name.js'
import { grants } from '../epochs/epoch-ops.js'
import type { JoinedRoom } from '../rooms/joined-room.js'
import { ROLE, type StoredInvite } from '../rooms/ops.js'
import { decodeJoinRequest, type JoinRequest } from './join-request.js'

/** blind-pairing deny statuses and the error each gives the joiner. */
export const DENY = {
  /** PAIRING_REJECTED: revoked invite or a malformed request */
  REJECTED: 1,
  /** INVITE_USED */
  USED: 2,
  /** INVITE_EXPIRED */
  EXPIRED: 3,
  /** MEMBER_REMOVED: unknown to blind-pairing, read by the joiner from the response */
  REMOVED: 4
} as const

/** How long an admission may wait for its member-add to be indexed before it gives up. */
const INDEX_TIMEOUT_MS = 25_000

export type InviteState = 'active' | 'expired' | 'used' | 'revoked'

export function inviteState(invite: StoredInvite, now: number): InviteState {
  if (invite.revoked) return 'revoked'
  if (invite.expires !== 0 && invite.expires <= now) return 'expired'
  if (invite.uses !== 0 && invite.used >= invite.uses) return 'used'
  return 'active'
}

/**
 * An admin's answers to joiners of one room, one at a time. Each checks the invite record (any
 * online admin has it), appends the member-add with the epoch keys sealed to the joiner, waits
 * until that is indexed, and hands over the room key only if apply made the joiner an active
 * member: so a single-use invite admits one person even with several admins answering at once.
 */
export class InviteAdmitter {
  private _joined: JoinedRoom
  private _queue: Promise<void>

  constructor(joined: JoinedRoom) {
    this._joined = joined
    this._queue = Promise.resolve()
  }

  handle(request: MemberRequest): Promise<void> {
    const next = this._queue.then(() => this._admit(request))
    this._queue = next.catch(() => {})
    return next
  }

  private async _admit(request: MemberRequest): Promise<void> {
    const room = this._joined.room
    const invite = await room.invite(request.inviteId)
    // without the record we cannot even open the request to deny it; the joiner times out
    if (invite === null) return
    const join = decodeJoinRequest(request.open(invite.publicKey))
    if (join === null || cleanName(join.name, MAX_NAME_CHARS).length === 0)
      return request.deny({ status: DENY.REJECTED })
    // as apply will judge it: the device's binding to the profile
    const vouched = verifyWriterBinding(join.binding, room.discoveryKey, join.writer, {
      identity: join.profile
    })
    if (vouched === null) return request.deny({ status: DENY.REJECTED })

    if (!(await this._isIn(join))) {
      const refusal = await this._refusal(invite, join)
      if (refusal !== null) return request.deny({ status: refusal })
      const writer = { key: join.writer, profile: join.profile, boxKey: join.boxKey }
      const length = await room.append([
        {
          name: '@roost/member-add',
          value: {
            writer: join.writer,
            profile: join.profile,
            name: join.name,
            role: ROLE.MEMBER,
            signature: join.signature,
            inviteId: invite.id,
            timestamp: Date.now(),
            boxKey: join.boxKey,
            binding: join.binding
          }
        },
        ...grants(this._joined.keyring.held(), [writer])
      ])
      await room.waitIndexed(length, AbortSignal.timeout(INDEX_TIMEOUT_MS))
      if (!(await this._isIn(join))) {
        // another admission took the last use (or the invite ended) first, in the final order
        const now = await room.invite(invite.id)
        return request.deny({ status: (now && (await this._refusal(now, join))) ?? DENY.USED })
      }
    }
    request.confirm({ key: room.key, encryptionKey: room.encryptionKey })
  }

  /** Whether the joiner's writer is in the view as an active member's. */
  private async _isIn(join: JoinRequest): Promise<boolean> {
    const room = this._joined.room
    const writer = await room.writer(join.writer)
    if (writer === null || writer.removed === true || !b4a.equals(writer.profile, join.profile))
      return false
    const member = await room.member(join.profile)
    return member !== null && !member.removed
  }

  /** Why this invite cannot admit this joiner now (by our clock), or null. */
  private async _refusal(invite: StoredInvite, join: JoinRequest): Promise<number | null> {
    const personal = invite.forProfile ? b4a.equals(invite.forProfile, join.profile) : null
    if (personal === false) return DENY.REJECTED
    const member = await this._joined.room.member(join.profile)
    if (member !== null && member.removed && !member.left && personal !== true) return DENY.REMOVED
    const state = inviteState(invite, Date.now())
    switch (state) {
      case 'revoked':
        return DENY.REJECTED
      case 'expired':
        return DENY.EXPIRED
      case 'used':
        return DENY.USED
      case 'active':
        return null
      default:
        return missingCase(state)
    }
  }
}

function missingCase(value: never): never {
  throw new Error('Unhandled case: ' + String(value))
}
