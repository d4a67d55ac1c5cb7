import type { Member, Role } from '../../shared/api/contract.js'
import { Avatar } from './Avatar'

export interface MemberItemProps {
  member: Member
  canManage: boolean
  onRemove: (id: string) => void
  onSetRole: (id: string, role: Role) => void
}

export function MemberItem({ member, canManage, onRemove, onSetRole }: MemberItemProps) {
  const manage = canManage && !member.isMe
  return (
    <li
      className="member-item"
      data-testid="member-item"
      data-member-id={member.id}
      data-role={member.role}
    >
      <Avatar name={member.name} seed={member.id} size="small" />
      <span className="member-text">
        <span className="member-name">
          {member.name || 'Unknown'}
          {member.isMe && <span className="muted"> (you)</span>}
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
            aria-label={`Remove ${member.name} from the room`}
            onClick={() => onRemove(member.id)}
          >
            Remove
          </button>
        </span>
      )}
    </li>
  )
}
