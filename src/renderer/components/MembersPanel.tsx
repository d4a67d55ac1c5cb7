import { useMemo, useState } from 'react'
import type { Member, Role } from '../../shared/api/contract.js'
import { displayNames, labelFor } from '../../shared/text/display-names.js'
import { Icon } from './Icon'
import { MemberItem } from './MemberItem'

export interface MembersPanelProps {
  members: Member[] | null
  isAdmin: boolean
  onRemove: (id: string) => void
  onSetRole: (id: string, role: Role) => void
  onClose: () => void
}

/** What removal does, said wherever someone can remove a member. */
export const REMOVAL_MEANS = 'They can no longer read new messages or write.'

function byRoleThenLabel(labels: ReadonlyMap<string, string>) {
  const label = (m: Member): string => labels.get(m.id) ?? ''
  return (a: Member, b: Member): number =>
    Number(b.role === 'admin') - Number(a.role === 'admin') || label(a).localeCompare(label(b))
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
  // removed members count too: their old messages must not pass for someone else's
  const labels = useMemo(() => displayNames(members ?? []), [members])
  const active = members?.filter((m) => !m.removed).sort(byRoleThenLabel(labels)) ?? null
  const label = (m: Member): string => labelFor(labels, m.id, m.name)
  return (
    <aside className="members-panel" aria-label="Members" data-testid="members-panel">
      <header className="panel-header">
        <h2>Members{active !== null && ` · ${active.length}`}</h2>
        <button
          type="button"
          className="icon-button"
          data-testid="members-close"
          aria-label="Close members"
          title="Close (Esc)"
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </header>
      {confirming !== null && (
        <div
          className="confirm"
          role="alertdialog"
          aria-label="Confirm removal"
          data-testid="member-remove-dialog"
        >
          <p>
            Remove{' '}
            <strong>
              <bdi>{label(confirming)}</bdi>
            </strong>{' '}
            from the room? {REMOVAL_MEANS}
          </p>
          <p className="confirm-key">
            Profile key{' '}
            <code className="mono" title={confirming.id}>
              {confirming.id}
            </code>
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
              label={label(member)}
              canManage={isAdmin}
              onRemove={() => setConfirming(member)}
              onSetRole={onSetRole}
            />
          ))}
        </ul>
      )}
      {isAdmin && active !== null && active.length > 1 && (
        <p className="muted panel-note removal-note" data-testid="removal-note">
          Removing a member takes them out of the room. {REMOVAL_MEANS}
        </p>
      )}
    </aside>
  )
}
