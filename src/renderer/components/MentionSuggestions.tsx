export interface MentionCandidate {
  id: string
  label: string
}

export interface MentionSuggestionsProps {
  candidates: readonly MentionCandidate[]
  selected: number
  onPick: (candidate: MentionCandidate) => void
}

/** The members an `@` being typed may mean: ↑/↓ choose, Enter or Tab insert, Esc closes. */
export function MentionSuggestions({ candidates, selected, onPick }: MentionSuggestionsProps) {
  if (candidates.length === 0) return null
  return (
    <ul
      className="mention-suggestions"
      role="listbox"
      aria-label="Mention a member"
      data-testid="mention-suggestions"
    >
      {candidates.map((c, i) => (
        <li
          key={c.id}
          role="option"
          aria-selected={i === selected}
          className={i === selected ? 'mention-suggestion selected' : 'mention-suggestion'}
          data-testid="mention-suggestion"
          onMouseDown={(e) => {
            e.preventDefault() // keep the composer's focus and cursor
            onPick(c)
          }}
        >
          @<bdi>{c.label}</bdi>
        </li>
      ))}
    </ul>
  )
}

/** The `@word` being typed just before the cursor, if any: where it starts and what it says. */
export function mentionAt(text: string, cursor: number): { start: number; query: string } | null {
  const before = text.slice(0, cursor)
  const match = /(^|\s)@([^\s@]{0,32})$/.exec(before)
  if (match === null) return null
  return { start: before.length - match[2].length - 1, query: match[2] }
}

/** Up to six members whose label starts with `query` (case-insensitive). */
export function mentionCandidates(
  members: readonly MentionCandidate[],
  query: string
): MentionCandidate[] {
  const q = query.toLowerCase()
  return members.filter((m) => m.label.toLowerCase().startsWith(q)).slice(0, 6)
}
