import type { Member, Message, Profile } from '../../shared/api/contract.js'
import { roomNames } from '../../shared/text/display-names.js'

const WORD_CHAR = /[\p{L}\p{N}_]/u

/** Whether lower-cased `text` has `@name` (lower-cased) as a whole name: "@al" is not in "@alice". */
function hasMention(text: string, name: string): boolean {
  if (name.length === 0) return false
  const needle = '@' + name
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    const after = text[at + needle.length]
    if (after === undefined || !WORD_CHAR.test(after)) return true
  }
  return false
}

/** Whether `text` mentions `name` as `@name` (case-insensitive, names may contain spaces). */
export function mentions(text: string, name: string): boolean {
  return hasMention(text.toLowerCase(), name.toLowerCase())
}

/**
 * Whether a message is for me, as the "mentions" notify level means it: it names me (an
 * @mention carried with it, or @name in its text), or it answers a message of mine that is
 * loaded here.
 */
export function isForMe(message: Message, me: Profile, loaded: readonly Message[] = []): boolean {
  if (Array.isArray(message.mentions) && message.mentions.includes(me.id)) return true
  if (mentions(message.text, me.name)) return true
  if (message.replyTo === null) return false
  return loaded.some((m) => m.id === message.replyTo && m.author === me.id)
}

/** The members `text` @mentions, by their label here or their name (what the composer inserts). */
export function mentionedIn(text: string, members: readonly Member[]): string[] {
  const lower = text.toLowerCase()
  if (!lower.includes('@')) return []
  const labels = roomNames(members)
  return members
    .filter((m) => !m.removed && !m.isMe)
    .filter((m) => {
      const label = labels.get(m.id) ?? m.name
      return [label, m.name].some((n) => hasMention(lower, n.toLowerCase()))
    })
    .map((m) => m.id)
}
