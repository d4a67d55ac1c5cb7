import z32 from 'z32'
import type { RosterChange, RosterChangeKind } from '../../shared/api/contract.js'
import { ROLE, ROSTER_KIND, type StoredRosterChange } from './ops.js'

const KINDS: Record<number, RosterChangeKind> = {
  [ROSTER_KIND.CREATED]: 'created',
  [ROSTER_KIND.JOINED]: 'joined',
  [ROSTER_KIND.LEFT]: 'left',
  [ROSTER_KIND.REMOVED]: 'removed',
  [ROSTER_KIND.RENAMED]: 'renamed',
  [ROSTER_KIND.ROLE]: 'role',
  [ROSTER_KIND.ROOM_RENAMED]: 'room-renamed',
  [ROSTER_KIND.TOPIC]: 'topic'
}

/**
 * A stored roster change as the API shows it, names as they are now (`nameOf`); null for a kind
 * this version does not know, so a newer peer's record is left out rather than misread.
 */
export function rosterChangeDto(
  stored: StoredRosterChange,
  room: string,
  nameOf: (profile: Buffer) => string
): RosterChange | null {
  const kind = KINDS[stored.kind]
  if (kind === undefined) return null
  const subject = stored.subject ?? null
  return {
    id: stored.id,
    room,
    kind,
    actor: z32.encode(stored.actor),
    actorName: nameOf(stored.actor),
    subject: subject === null ? null : z32.encode(subject),
    subjectName: subject === null ? null : nameOf(subject),
    name: stored.name,
    previous: stored.previous ?? null,
    role: stored.role === ROLE.ADMIN ? 'admin' : stored.role === ROLE.MEMBER ? 'member' : null,
    timestamp: stored.timestamp,
    position: stored.position
  }
}
