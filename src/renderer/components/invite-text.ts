import type { Invite } from '../../shared/api/contract.js'
import { formatDateTime } from '../util/format'

const MINUTE = 60 * 1000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** "in 2 days", "in 5 hours", "in 3 minutes", "in under a minute". */
function timeUntil(ms: number): string {
  // by what it rounds to: a day less a few seconds is "1 day", not "24 hours"
  const [amount, unit] =
    Math.round(ms / HOUR) >= 24
      ? [Math.round(ms / DAY), 'day']
      : Math.round(ms / MINUTE) >= 60
        ? [Math.round(ms / HOUR), 'hour']
        : [Math.round(ms / MINUTE), 'minute']
  if (amount === 0) return 'in under a minute'
  return `in ${amount} ${unit}${amount === 1 ? '' : 's'}`
}

export function describeExpiry(invite: Invite, now = Date.now()): string {
  if (invite.expiresAt === null) return 'Never expires'
  if (invite.expiresAt <= now) return 'Expired'
  return `Expires ${timeUntil(invite.expiresAt - now)}`
}

/** The exact moment, for a tooltip beside describeExpiry. */
export function expiryMoment(invite: Invite): string | undefined {
  return invite.expiresAt === null ? undefined : formatDateTime(invite.expiresAt)
}

export function describeUses(invite: Invite): string {
  if (invite.uses === null) return 'Unlimited uses'
  return `${invite.usesLeft ?? 0} of ${invite.uses} ${invite.uses === 1 ? 'use' : 'uses'} left`
}

export const INVITE_STATE_LABEL: Record<Invite['state'], string> = {
  active: 'Active',
  expired: 'Expired',
  used: 'Used up',
  revoked: 'Revoked'
}
