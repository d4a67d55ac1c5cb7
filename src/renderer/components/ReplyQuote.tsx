import type { Message } from '../../shared/api/contract.js'
import { labelFor } from '../../shared/text/display-names.js'
import { previewText } from '../util/file-kind'

export interface ReplyQuoteProps {
  /** The message replied to, when it is loaded here; null when it is not (yet). */
  target: Message | null
  names: ReadonlyMap<string, string>
  onJump: () => void
}

const PREVIEW_CHARS = 120

/** Above a reply: who and what it answers; a click (or Enter) brings the original into view. */
export function ReplyQuote({ target, names, onJump }: ReplyQuoteProps) {
  const text =
    target === null
      ? 'An earlier message'
      : target.deleted
        ? 'Message deleted'
        : previewText(target).slice(0, PREVIEW_CHARS)
  return (
    <button
      type="button"
      className="reply-quote"
      data-testid="reply-quote"
      onClick={onJump}
      title="Show the message this answers"
    >
      {target !== null && (
        <span className="reply-quote-author">
          <bdi>{labelFor(names, target.author, target.authorName)}</bdi>
        </span>
      )}
      <span className={'reply-quote-text' + (target?.deleted ? ' muted' : '')} dir="auto">
        {text}
      </span>
    </button>
  )
}
