import b4a from 'b4a'
import z32 from 'z32'
import {
  MAX_INVITE_NOTE_CHARS,
  MAX_MESSAGE_BYTES,
  MAX_NAME_CHARS,
  MAX_TOPIC_CHARS,
  RoostError
} from '../shared/api/errors.js'

// Arguments arrive from IPC, WebSocket frames and the CLI: check them before use.

export function expectString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw RoostError.invalidArgument(`${what} must be a string`)
  return value
}

export function expectOptionalObject(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined || value === null) return {}
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw RoostError.invalidArgument(`${what} must be an object`)
  }
  return value as Record<string, unknown>
}

export function expectOptionalPositiveInt(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw RoostError.invalidArgument(`${what} must be a positive whole number`)
  }
  return value
}

export function expectOptionalWholeNumber(value: unknown, what: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw RoostError.invalidArgument(`${what} must be a whole number, 0 or more`)
  }
  return value
}

export function charCount(text: string): number {
  return [...text].length
}

export function validateName(value: unknown, what: string): string {
  const name = expectString(value, what).trim()
  if (name.length === 0) throw RoostError.invalidArgument(`${what} must not be empty`)
  if (charCount(name) > MAX_NAME_CHARS) throw RoostError.nameTooLong(what, MAX_NAME_CHARS)
  return name
}

export function validateTopic(value: unknown): string {
  const topic = expectString(value, 'Topic').trim()
  if (charCount(topic) > MAX_TOPIC_CHARS) throw RoostError.nameTooLong('Topic', MAX_TOPIC_CHARS)
  return topic
}

/** An invite's note, trimmed; empty or absent is null. */
export function validateInviteNote(value: unknown): string | null {
  if (value === undefined || value === null) return null
  const note = expectString(value, 'Invite note').trim()
  if (charCount(note) > MAX_INVITE_NOTE_CHARS) {
    throw RoostError.nameTooLong('Invite note', MAX_INVITE_NOTE_CHARS)
  }
  return note === '' ? null : note
}

export function validateMessageText(value: unknown): string {
  const text = expectString(value, 'Message text')
  if (text.length === 0) throw RoostError.invalidArgument('Message text must not be empty')
  const bytes = b4a.byteLength(text, 'utf8')
  if (bytes > MAX_MESSAGE_BYTES) throw RoostError.messageTooLarge(bytes)
  return text
}

/** A z32-encoded 32-byte key, or null. */
export function decodeKey(value: string): Buffer | null {
  try {
    const key = z32.decode(value)
    return key.length === 32 ? key : null
  } catch {
    return null
  }
}
