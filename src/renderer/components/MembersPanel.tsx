import { useState } from 'react'
import type { Member, Role } from '../../shared/api/contract.js'
import { Icon } from './Icon'
import { MemberItem } from './MemberItem'

export interface MembersPanelProps {
  members: Member[] | null
  isAdmin: boolean
  onRemove: (id: string) => void
  onSetRole: (id: string, role: Role) => void
  onClose: () => void
}

function byRoleThenName(a: Member, b: Member): number {
  return Number(b.role === 'admin') - Number(a.role === 'admin') || a.name.localeCompare(b.name)
}

/** Who is in the room and their roles; admins can remove people and change roles. */
export function MembersPanel({
  members,
  isAdmin,
  onRemove,
  onSetRole,
  onClose
}: MembersPanelProps) {
  const [confirming, setConfirming] = useState<Member | null>(null)
  const active = members?.filter((m) => !m.removed).sort(byRoleThenName) ?? null
  return (
    <aside className="members-panel" aria-label="Members">
      <header className="panel-header">
        <h2>Members{active !== null && ` · ${active.length}`}</h2>
        <button type="button" className="icon-button" aria-label="Close members" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {confirming !== null && (
        <div className="confirm" role="alertdialog" aria-label="Confirm removal">
          <p>
            Remove <strong>{confirming.name}</strong>? Whatever they write from now on is ignored by
            everyone in the room.
          </p>
          <div className="form-actions">
            <button type="button" className="button" onClick={() => setConfirming(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="button danger"
              data-testid="member-remove-confirm"
              autoFocus
              onClick={() => {
                onRemove(confirming.id)
                setConfirming(null)
              }}
            >
              Remove
            </button>
          </div>
        </div>
      )}
      {active === null ? (
        <p className="muted panel-note">Loading members…</p>
      ) : (
        <ul className="member-list">
          {active.map((member) => (
            <MemberItem
              key={member.id}
              member={member}
              canManage={isAdmin}
              onRemove={() => setConfirming(member)}
              onSetRole={onSetRole}
            />
          ))}
        </ul>
      )}
    </aside>
  )
}
