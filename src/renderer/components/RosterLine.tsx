import type { ReactNode } from 'react'
import type { RosterChange } from '../../shared/api/contract.js'
import { labelFor } from '../../shared/text/display-names.js'
import { formatDateTime, formatTime, isoDateTime } from '../util/format'

/** What the line says, names as they are now (isolated, so a right-to-left name stays whole). */
function sentence(change: RosterChange, names: ReadonlyMap<string, string>): ReactNode {
  const actor = <bdi>{labelFor(names, change.actor, change.actorName)}</bdi>
  const subject =
    change.subject === null ? null : (
      <bdi>{labelFor(names, change.subject, change.subjectName ?? change.name)}</bdi>
    )
  switch (change.kind) {
    case 'created':
      return <>{actor} created the room</>
    case 'joined':
      return <>{subject} joined</>
    case 'left':
      return <>{subject} left</>
    case 'removed':
      return (
        <>
          {actor} removed {subject}
        </>
      )
    case 'renamed':
      return (
        <>
          <bdi>{change.previous ?? ''}</bdi> is now called <bdi>{change.name}</bdi>
        </>
      )
    case 'role':
      return change.role === 'admin' ? (
        <>
          {actor} made {subject} an admin
        </>
      ) : (
        <>
          {actor} made {subject} a member (no longer an admin)
        </>
      )
    case 'room-renamed':
      return (
        <>
          {actor} renamed the room to “<bdi>{change.name}</bdi>”
        </>
      )
    case 'topic':
      return change.name === '' ? (
        <>{actor} cleared the topic</>
      ) : (
        <>
          {actor} set the topic to “<bdi>{change.name}</bdi>”
        </>
      )
    default:
      return null
  }
}

/** A quiet line in the timeline for a change of who is in the room or what it is called. */
export function RosterLine({
  change,
  names
}: {
  change: RosterChange
  names: ReadonlyMap<string, string>
}) {
  const text = sentence(change, names)
  if (text === null) return null
  return (
    <div className="roster-line" data-testid="roster-line" data-kind={change.kind}>
      <span className="roster-line-text">{text}</span>
      {change.timestamp > 0 && (
        <time dateTime={isoDateTime(change.timestamp)} title={formatDateTime(change.timestamp)}>
          {formatTime(change.timestamp)}
        </time>
      )}
    </div>
  )
}
