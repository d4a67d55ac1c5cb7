import type { Invite } from '../../shared/api/contract.js'
import { formatDateTime } from '../util/format'

export function describeExpiry(invite: Invite): string {
  if (invite.expiresAt === null) return 'Never expires'
  return (
    (invite.expiresAt <= Date.now() ? 'Expired ' : 'Expires ') + formatDateTime(invite.expiresAt)
  )
}

export function describeUses(invite: Invite): string {
  if (invite.uses === null) return 'Any number of people'
  const left = invite.usesLeft ?? 0
  return `${left} of ${invite.uses} ${invite.uses === 1 ? 'use' : 'uses'} left`
}

export const INVITE_STATE_LABEL: Record<Invite['state'], string> = {
  active: 'Active',
  expired: 'Expired',
  used: 'Used up',
  revoked: 'Revoked'
}
