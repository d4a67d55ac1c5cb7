import { useEffect, useRef, useState, type KeyboardEvent } from 'react'

/** A compact set, each with the words it is found by. */
const EMOJI: ReadonlyArray<readonly [string, string]> = [
  ['👍', 'thumbs up yes ok like agree'],
  ['❤️', 'heart love red'],
  ['😂', 'laugh tears joy lol funny'],
  ['🎉', 'party tada celebrate congrats'],
  ['😮', 'wow surprised open mouth'],
  ['😢', 'sad cry tear'],
  ['🙏', 'thanks please pray hands'],
  ['👀', 'eyes look watching'],
  ['🔥', 'fire hot lit'],
  ['✅', 'check done yes tick'],
  ['👎', 'thumbs down no dislike'],
  ['😀', 'smile grin happy'],
  ['😊', 'blush smile happy'],
  ['😉', 'wink'],
  ['😍', 'heart eyes love'],
  ['🤔', 'thinking hmm'],
  ['🙌', 'raised hands hooray'],
  ['👏', 'clap applause'],
  ['💯', 'hundred perfect'],
  ['🚀', 'rocket launch ship'],
  ['👋', 'wave hello hi bye'],
  ['🤝', 'handshake deal'],
  ['💪', 'strong muscle'],
  ['😅', 'sweat smile phew'],
  ['🙃', 'upside down'],
  ['😎', 'cool sunglasses'],
  ['🤯', 'mind blown'],
  ['😴', 'sleep tired'],
  ['🥳', 'party face birthday'],
  ['😡', 'angry mad'],
  ['❌', 'cross no wrong'],
  ['⭐', 'star favourite'],
  ['☕', 'coffee tea'],
  ['🍕', 'pizza food'],
  ['🎂', 'cake birthday'],
  ['🌱', 'plant seedling grow'],
  ['🐛', 'bug'],
  ['💡', 'idea light bulb'],
  ['📌', 'pin pushpin'],
  ['👌', 'ok perfect'],
  ['🤷', 'shrug dunno'],
  ['🫡', 'salute'],
  ['1️⃣', 'one first'],
  ['2️⃣', 'two second'],
  ['🇳🇱', 'flag netherlands'],
  ['🏳️‍🌈', 'rainbow flag pride']
]

export interface EmojiPickerProps {
  onPick: (emoji: string) => void
  onClose: () => void
}

/** A search box over the set, then the matches: Enter picks the first, Esc closes. */
export function EmojiPicker({ onPick, onClose }: EmojiPickerProps) {
  const [query, setQuery] = useState('')
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [])
  const words = query.trim().toLowerCase()
  const shown = words === '' ? EMOJI : EMOJI.filter(([, names]) => names.includes(words))
  const onKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation()
      onClose()
    } else if (event.key === 'Enter' && event.target === input.current && shown.length > 0) {
      event.preventDefault()
      onPick(shown[0][0])
    }
  }
  return (
    <div
      className="emoji-picker"
      role="dialog"
      aria-label="Pick a reaction"
      data-testid="emoji-picker"
      onKeyDown={onKeyDown}
    >
      <input
        ref={input}
        className="emoji-search"
        data-testid="emoji-search"
        placeholder="Search emoji"
        aria-label="Search emoji"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      <div className="emoji-grid">
        {shown.map(([emoji, names]) => (
          <button
            key={emoji}
            type="button"
            className="emoji-choice"
            title={names.split(' ')[0]}
            aria-label={names.split(' ')[0]}
            data-emoji={emoji}
            onClick={() => onPick(emoji)}
          >
            {emoji}
          </button>
        ))}
        {shown.length === 0 && <span className="muted small">No emoji called “{query}”</span>}
      </div>
    </div>
  )
}
