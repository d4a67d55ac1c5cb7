import type { Message, RoostApi } from '../shared/api/contract.js'
import { roomNames } from '../shared/text/display-names.js'
import { messageJson, messageLine, printable } from './format.js'

/** The commands that answer, change or pin messages already in a room. */
export type ConversationCommand =
  | { name: 'reply'; room: string; message: string; text: string }
  | { name: 'edit'; room: string; message: string; text: string }
  | { name: 'delete'; room: string; message: string }
  | { name: 'react'; room: string; message: string; emoji: string; remove: boolean }
  | { name: 'pin'; room: string; message: string; remove: boolean }
  | { name: 'pins'; room: string }
  | { name: 'search'; query: string; room: string | undefined; limit: number | undefined }

const NAMES: ReadonlySet<string> = new Set<ConversationCommand['name']>([
  'reply',
  'edit',
  'delete',
  'react',
  'pin',
  'pins',
  'search'
])

export function isConversationCommandName(name: string): name is ConversationCommand['name'] {
  return NAMES.has(name)
}

export function isConversationCommand(command: { name: string }): command is ConversationCommand {
  return NAMES.has(command.name)
}

type Take = (count: number, what: string) => string[]

export interface ConversationFlags {
  remove: boolean
  room: string | undefined
  limit: number | undefined
}

export function buildConversationCommand(
  name: ConversationCommand['name'],
  take: Take,
  flags: ConversationFlags
): ConversationCommand {
  const { remove } = flags
  switch (name) {
    case 'reply':
    case 'edit': {
      const [room, message, text] = take(3, 'ROOM MESSAGE_ID TEXT')
      return { name, room, message, text }
    }
    case 'delete': {
      const [room, message] = take(2, 'ROOM MESSAGE_ID')
      return { name, room, message }
    }
    case 'react': {
      const [room, message, emoji] = take(3, 'ROOM MESSAGE_ID EMOJI')
      return { name, room, message, emoji, remove }
    }
    case 'pin': {
      const [room, message] = take(2, 'ROOM MESSAGE_ID')
      return { name, room, message, remove }
    }
    case 'pins':
      return { name, room: take(1, 'a ROOM')[0] }
    case 'search':
      return {
        name,
        query: take(1, 'a QUERY (quote several words)')[0],
        room: flags.room,
        limit: flags.limit
      }
  }
}

interface Output {
  value(json: unknown, text: string | string[]): void
}

/** Runs one of them against the API: prints the message as it now is (pins: each pinned one). */
export async function runConversationCommand(
  command: ConversationCommand,
  api: RoostApi,
  out: Output
): Promise<void> {
  if (command.name === 'search') {
    const room = command.room === undefined ? undefined : await api.resolveRoom(command.room)
    const hits = await api.search(command.query, { room, limit: command.limit })
    const rooms = new Map((await api.rooms()).map((r) => [r.id, r.name]))
    for (const m of hits) {
      const where = printable(rooms.get(m.room) ?? m.room)
      out.value(messageJson(m), `${m.id}  #${where}  ${messageLine(m)}`)
    }
    return
  }
  const room = await api.resolveRoom(command.room)
  const print = async (messages: Message[]): Promise<void> => {
    const names = roomNames(await api.members(room), messages)
    for (const m of messages) out.value(messageJson(m), `${m.id}  ${messageLine(m, names)}`)
  }
  switch (command.name) {
    case 'reply':
      return print([await api.send(room, { text: command.text, replyTo: command.message })])
    case 'edit':
      return print([await api.edit(room, command.message, { text: command.text })])
    case 'delete':
      return print([await api.delete(room, command.message)])
    case 'react':
      return print([await api.react(room, command.message, command.emoji, !command.remove)])
    case 'pin':
      return print([await api.pin(room, command.message, !command.remove)])
    case 'pins':
      return print(await api.pins(room))
  }
}
