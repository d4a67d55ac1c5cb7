import type { Message, Profile } from '../../shared/api/contract.js'

/** Whether `text` mentions `name` as `@name` (case-insensitive, names may contain spaces). */
export function mentions(text: string, name: string): boolean {
  if (name.length === 0) return false
  return text.toLowerCase().includes('@' + name.toLowerCase())
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
