import type { Message } from '../../shared/api/contract.js'
import { labelFor } from '../../shared/text/display-names.js'

export interface MessageReactionsProps {
  reactions: Message['reactions']
  /** Labels by profile id (roomNames). */
  names: ReadonlyMap<string, string>
  myId: string
  /** Adds or takes back my reaction with the emoji (null: read-only). */
  onToggle: ((emoji: string, on: boolean) => void) | null
}

/** `👍 2  ❤️ 1` under a message; hovering one names who reacted. Renders any stored value. */
export function MessageReactions({ reactions, names, myId, onToggle }: MessageReactionsProps) {
  const entries = Object.entries(
    typeof reactions === 'object' && reactions !== null ? reactions : {}
  )
    .map(([emoji, who]) => [String(emoji), Array.isArray(who) ? who.map(String) : []] as const)
    .filter(([, who]) => who.length > 0)
  if (entries.length === 0) return null
  return (
    <div className="message-reactions" data-testid="reactions">
      {entries.map(([emoji, who]) => {
        const mine = who.includes(myId)
        const people = who.map((id) => labelFor(names, id, '') || id.slice(0, 8)).join(', ')
        return (
          <button
            type="button"
            key={emoji}
            className={mine ? 'reaction mine' : 'reaction'}
            title={people}
            aria-label={`${emoji} ${who.length}: ${people}`}
            aria-pressed={mine}
            disabled={onToggle === null}
            data-emoji={emoji}
            onClick={() => onToggle?.(emoji, !mine)}
          >
            <span className="reaction-emoji">{emoji}</span>
            <span className="reaction-count">{who.length}</span>
          </button>
        )
      })}
    </div>
  )
}
