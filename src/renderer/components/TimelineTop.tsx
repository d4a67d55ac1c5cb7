import type { ErrorInfo } from '../state/types'
import { ErrorNote } from './ErrorNote'

export interface TimelineTopProps {
  roomName: string
  hasMore: boolean
  loading: boolean
  error: ErrorInfo | null
  empty: boolean
  /** Nobody else is in the room: the beginning invites someone. */
  alone: boolean
  onRetry: () => void
  onInvite: () => void
}

/** The first row of a timeline: older messages loading, a failure, or the room's beginning. */
export function TimelineTop({
  roomName,
  hasMore,
  loading,
  error,
  empty,
  alone,
  onRetry,
  onInvite
}: TimelineTopProps) {
  if (error !== null) {
    return (
      <div className="timeline-top">
        <ErrorNote error={error} />
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      </div>
    )
  }
  if (loading) return <div className="timeline-top muted">Loading messages…</div>
  if (hasMore) return <div className="timeline-top muted">Scroll up for older messages</div>
  return (
    <div className="timeline-top beginning">
      <strong>This is the beginning of {roomName}.</strong>
      {alone ? (
        <>
          <span>Only you are here: invite someone to talk with.</span>
          <button
            type="button"
            className="button primary"
            data-testid="solo-invite"
            onClick={onInvite}
          >
            Invite someone
          </button>
        </>
      ) : (
        empty && <span>No messages yet: say hello!</span>
      )}
    </div>
  )
}
