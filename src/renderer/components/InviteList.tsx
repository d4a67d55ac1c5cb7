import { useState } from 'react'
import type { Invite } from '../../shared/api/contract.js'
import { CopyButton } from './CopyButton'
import { RevokeConfirm } from './RevokeConfirm'
import { INVITE_STATE_LABEL, describeExpiry, describeUses, expiryMoment } from './invite-text'

export interface InviteListProps {
  invites: Invite[] | null
  canRevoke: boolean
  onRevoke: (id: string) => void
}

function activeFirst(a: Invite, b: Invite): number {
  return Number(b.state === 'active') - Number(a.state === 'active')
}

/**
 * The room's invites, active ones first, each labelled by its note, expiry, uses and state. One
 * made on this device can be copied again while active; revoking asks first.
 */
export function InviteList({ invites, canRevoke, onRevoke }: InviteListProps) {
  const [confirming, setConfirming] = useState<string | null>(null)
  if (invites === null) return <p className="muted">Loading invites…</p>
  if (invites.length === 0) return <p className="muted">No invites yet.</p>
  return (
    <ul className="invite-list">
      {[...invites].sort(activeFirst).map((invite) => {
        const active = invite.state === 'active'
        return (
          <li
            key={invite.id}
            className="invite-item"
            data-testid="invite-item"
            data-state={invite.state}
            data-id={invite.id}
          >
            <span className={`badge state-${invite.state}`}>
              {INVITE_STATE_LABEL[invite.state]}
            </span>
            <span className="invite-item-text">
              <span className="invite-item-note" data-testid="invite-note" title={invite.id}>
                {invite.note ?? (invite.code === null ? 'Made on another device' : 'No note')}
              </span>
              <span className="muted small" data-testid="invite-limits">
                <span title={expiryMoment(invite)}>{describeExpiry(invite)}</span> ·{' '}
                {describeUses(invite)}
              </span>
            </span>
            {active && invite.code !== null && (
              <CopyButton text={invite.code} label="Copy code" testId="invite-item-copy" />
            )}
            {canRevoke && active && confirming !== invite.id && (
              <button
                type="button"
                className="button small danger"
                data-testid="invite-revoke"
                onClick={() => setConfirming(invite.id)}
              >
                Revoke
              </button>
            )}
            {canRevoke && active && confirming === invite.id && (
              <RevokeConfirm
                onConfirm={() => {
                  setConfirming(null)
                  onRevoke(invite.id)
                }}
                onCancel={() => setConfirming(null)}
              />
            )}
          </li>
        )
      })}
    </ul>
  )
}
