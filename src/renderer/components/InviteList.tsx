import type { Invite } from '../../shared/api/contract.js'
import { INVITE_STATE_LABEL, describeExpiry, describeUses } from './invite-text'

export interface InviteListProps {
  invites: Invite[] | null
  canRevoke: boolean
  onRevoke: (id: string) => void
}

/** The room's invites, active ones first, each with its state; active ones can be revoked. */
function activeFirst(a: Invite, b: Invite): number {
  return Number(b.state === 'active') - Number(a.state === 'active')
}

export function InviteList({ invites, canRevoke, onRevoke }: InviteListProps) {
  if (invites === null) return <p className="muted">Loading invites…</p>
  if (invites.length === 0) return <p className="muted">No invites yet.</p>
  return (
    <ul className="invite-list">
      {[...invites].sort(activeFirst).map((invite) => (
        <li
          key={invite.id}
          className="invite-item"
          data-testid="invite-item"
          data-state={invite.state}
        >
          <span className={`badge state-${invite.state}`}>{INVITE_STATE_LABEL[invite.state]}</span>
          <span className="invite-item-text">
            <span className="mono" title={invite.id}>
              {invite.id.slice(0, 10)}…
            </span>
            <span className="muted small">
              {describeExpiry(invite)} · {describeUses(invite)}
            </span>
          </span>
          {canRevoke && invite.state === 'active' && (
            <button
              type="button"
              className="button small danger"
              data-testid="invite-revoke"
              onClick={() => onRevoke(invite.id)}
            >
              Revoke
            </button>
          )}
        </li>
      ))}
    </ul>
  )
}
