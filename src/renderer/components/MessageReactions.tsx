import type { Message } from '../../shared/api/contract.js'
import { labelFor } from '../../shared/text/display-names.js'

export interface MessageReactionsProps {
  reactions: Message['reactions']
  /** Labels by profile id (roomNames). */
  names: ReadonlyMap<string, string>
  myId: string
}

/** `👍 2  ❤️ 1` under a message; hovering one names who reacted. Renders any stored value. */
export function MessageReactions({ reactions, names, myId }: MessageReactionsProps) {
  const entries = Object.entries(
    typeof reactions === 'object' && reactions !== null ? reactions : {}
  )
    .map(([emoji, who]) => [String(emoji), Array.isArray(who) ? who.map(String) : []] as const)
    .filter(([, who]) => who.length > 0)
  if (entries.length === 0) return null
  return (
    <div className="message-reactions" data-testid="reactions">
      {entries.map(([emoji, who]) => (
        <span
          key={emoji}
          className={who.includes(myId) ? 'reaction mine' : 'reaction'}
          title={who.map((id) => labelFor(names, id, '') || id.slice(0, 8)).join(', ')}
          data-emoji={emoji}
        >
          <span className="reaction-emoji">{emoji}</span>
          <span className="reaction-count">{who.length}</span>
        </span>
      ))}
    </div>
  )
}
