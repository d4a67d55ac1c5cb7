/** Above the first message that was unread when the room was opened. */
export function UnreadDivider({ count }: { count: number }) {
  return (
    <div className="unread-divider" role="separator" data-testid="unread-divider">
      <span>{count === 1 ? '1 new message' : `${count} new messages`}</span>
    </div>
  )
}
