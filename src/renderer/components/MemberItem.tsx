import type { Member, Role } from '../../shared/api/contract.js'
import { shownName } from '../../shared/text/display-names.js'
import { Avatar } from './Avatar'
import { CopyButton } from './CopyButton'

export interface MemberItemProps {
  member: Member
  /** What to call them: their name, with a key suffix if someone else has it too. */
  label: string
  canManage: boolean
  onRemove: (id: string) => void
  onSetRole: (id: string, role: Role) => void
}

export function MemberItem({ member, label, canManage, onRemove, onSetRole }: MemberItemProps) {
  const manage = canManage && !member.isMe
  return (
    <li
      className="member-item"
      data-testid="member-item"
      data-member-id={member.id}
      data-role={member.role}
    >
      <Avatar name={shownName(member.name)} seed={member.id} size="small" />
      <span className="member-text">
        <span className="member-name" data-testid="member-name" title={label}>
          <bdi>{label}</bdi>
          {member.isMe && <span className="muted"> (you)</span>}
        </span>
        <span className="member-key">
          <code className="mono" data-testid="member-key" title={member.id}>
            {member.id}
          </code>
          <CopyButton text={member.id} label="Copy profile key" testId="member-key-copy" compact />
        </span>
        <span className={`badge role-${member.role}`}>
          {member.role === 'admin' ? 'Admin' : 'Member'}
        </span>
      </span>
      {manage && (
        <span className="member-actions">
          <button
            type="button"
            className="button small"
            onClick={() => onSetRole(member.id, member.role === 'admin' ? 'member' : 'admin')}
          >
            {member.role === 'admin' ? 'Make member' : 'Make admin'}
          </button>
          <button
            type="button"
            className="button small danger"
            data-testid="member-remove"
            aria-label={`Remove ${label} from the room`}
            title="They can no longer read new messages or write."
            onClick={() => onRemove(member.id)}
          >
            Remove
          </button>
        </span>
      )}
    </li>
  )
}
