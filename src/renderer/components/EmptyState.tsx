export interface EmptyStateProps {
  onCreate: () => void
  onJoin: () => void
}

/** The main area before any room exists. */
export function EmptyState({ onCreate, onJoin }: EmptyStateProps) {
  return (
    <section className="empty-state">
      <div className="brand-mark" aria-hidden>
        R
      </div>
      <h1>No rooms yet</h1>
      <p className="muted">
        Create a room and invite people, or join one with an invite someone sent you.
      </p>
      <div className="form-actions center">
        <button type="button" className="button primary" onClick={onCreate}>
          Create a room
        </button>
        <button type="button" className="button" onClick={onJoin}>
          Join with an invite
        </button>
      </div>
    </section>
  )
}
