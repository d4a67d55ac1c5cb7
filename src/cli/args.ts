import { parseArgs } from 'util'
import { parseDuration } from './duration.js'
import {
  buildConversationCommand,
  isConversationCommandName,
  type ConversationCommand
} from './conversation-commands.js'
import { buildFileCommand, isFileCommandName, type FileCommand } from './file-commands.js'
import { buildDeviceCommand, isDeviceCommandName, type DeviceCommand } from './device-commands.js'

export class UsageError extends Error {}

export const DEFAULT_WEB_PORT = 7373

export interface GlobalOptions {
  data: string | null
  bootstrap: string[] | null
  host: string | null
  json: boolean
  help: boolean
}

export type Command =
  | {
      name: 'init'
      displayName: string | undefined
      link: string | undefined
      timeout: number | undefined
    }
  | { name: 'whoami' }
  | { name: 'phrase' }
  | {
      name: 'restore'
      displayName: string | undefined
      blindPeer: string | undefined
      timeout: number | undefined
    }
  | { name: 'create'; roomName: string; topic: string | undefined }
  | { name: 'rooms' }
  | {
      name: 'invite'
      room: string
      expiresIn: number | undefined
      uses: number | undefined
      forProfile: string | undefined
      note: string | undefined
    }
  | { name: 'invites'; room: string }
  | { name: 'revoke'; room: string; invite: string }
  | { name: 'join'; code: string; timeout: number | undefined }
  | { name: 'send'; room: string; text: string; wait: boolean }
  | {
      name: 'messages'
      room: string
      limit: number | undefined
      before: string | undefined
      around: string | undefined
    }
  | { name: 'tail'; room: string }
  | { name: 'members'; room: string }
  | { name: 'remove'; room: string; profile: string }
  | { name: 'leave'; room: string }
  | { name: 'role'; room: string; profile: string; role: 'admin' | 'member' }
  | { name: 'status' }
  | { name: 'serve'; web: boolean; port: number }
  | { name: 'mirror'; room: string; key: string }
  | { name: 'mirrors'; room: string }
  | { name: 'unmirror'; room: string; key: string }
  | { name: 'config'; setting: 'blind-peer' | 'relay' | null; value: string | null }
  | ConversationCommand
  | FileCommand
  | DeviceCommand

export interface ParsedArgs {
  global: GlobalOptions
  command: Command | null
}

const GLOBAL = {
  data: { type: 'string' },
  bootstrap: { type: 'string' },
  host: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' }
} as const

const COMMAND_OPTIONS = {
  name: { type: 'string' },
  topic: { type: 'string' },
  expires: { type: 'string' },
  uses: { type: 'string' },
  timeout: { type: 'string' },
  wait: { type: 'boolean' },
  limit: { type: 'string' },
  before: { type: 'string' },
  for: { type: 'string' },
  note: { type: 'string' },
  web: { type: 'boolean' },
  port: { type: 'string' },
  remove: { type: 'boolean' },
  room: { type: 'string' },
  around: { type: 'string' },
  text: { type: 'string' },
  out: { type: 'string' },
  link: { type: 'string' },
  'blind-peer': { type: 'string' }
} as const

type CommandOptions = {
  [K in keyof typeof COMMAND_OPTIONS]?: (typeof COMMAND_OPTIONS)[K]['type'] extends 'boolean'
    ? boolean
    : string
}

/** Which command options each command accepts; anything else is a usage error. */
const ALLOWED: Record<Command['name'], Array<keyof CommandOptions>> = {
  init: ['name', 'link', 'timeout'],
  whoami: [],
  phrase: [],
  restore: ['name', 'blind-peer', 'timeout'],
  create: ['topic'],
  rooms: [],
  invite: ['expires', 'uses', 'for', 'note'],
  invites: [],
  revoke: [],
  join: ['timeout'],
  send: ['wait'],
  messages: ['limit', 'before', 'around'],
  tail: [],
  members: [],
  remove: [],
  leave: [],
  role: [],
  status: [],
  serve: ['web', 'port'],
  mirror: [],
  mirrors: [],
  unmirror: [],
  config: [],
  reply: [],
  edit: [],
  delete: [],
  react: ['remove'],
  pin: ['remove'],
  pins: [],
  search: ['room', 'limit'],
  'send-file': ['text', 'wait'],
  files: [],
  download: ['out'],
  link: ['expires'],
  devices: [],
  unlink: []
}

/** Parses argv (without node and script); env supplies defaults for the global options. */
export function parseCliArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): ParsedArgs {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...GLOBAL, ...COMMAND_OPTIONS },
      allowPositionals: true,
      strict: true
    })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
  const values = parsed.values
  const bootstrap = values.bootstrap ?? env.ROOST_BOOTSTRAP
  const global: GlobalOptions = {
    data: values.data ?? env.ROOST_DATA ?? null,
    bootstrap: bootstrap
      ? bootstrap
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null,
    host: values.host ?? env.ROOST_HOST ?? null,
    json: values.json ?? false,
    help: values.help ?? false
  }
  const [name, ...rest] = parsed.positionals
  if (name === undefined) return { global, command: null }
  if (!(name in ALLOWED)) throw new UsageError(`Unknown command "${name}"`)
  const commandName = name as Command['name']
  const options = values as CommandOptions
  for (const key of Object.keys(COMMAND_OPTIONS) as Array<keyof CommandOptions>) {
    if (options[key] !== undefined && !ALLOWED[commandName].includes(key)) {
      throw new UsageError(`"${name}" takes no --${key}`)
    }
  }
  return { global, command: buildCommand(commandName, rest, options) }
}

function buildCommand(name: Command['name'], args: string[], o: CommandOptions): Command {
  const take = (count: number, what: string): string[] => {
    if (args.length !== count) throw new UsageError(`"${name}" takes ${what}`)
    return args
  }
  if (isConversationCommandName(name)) {
    return buildConversationCommand(name, take, {
      remove: o.remove ?? false,
      room: o.room,
      limit: o.limit === undefined ? undefined : positiveInt(o.limit, '--limit')
    })
  }
  if (isFileCommandName(name))
    return buildFileCommand(name, take, { text: o.text, out: o.out, wait: o.wait ?? false })
  if (isDeviceCommandName(name)) {
    return buildDeviceCommand(name, take, {
      expiresIn: o.expires === undefined ? undefined : duration(o.expires, '--expires')
    })
  }
  switch (name) {
    case 'init': {
      take(0, 'only --name NAME, or --link CODE [--timeout 60s]')
      if (o.name === undefined && o.link === undefined)
        throw new UsageError('"init" needs --name NAME, or --link CODE from `roost link`')
      if (o.timeout !== undefined && o.link === undefined)
        throw new UsageError('--timeout goes with --link')
      return {
        name,
        displayName: o.name,
        link: o.link,
        timeout: o.timeout === undefined ? undefined : duration(o.timeout, '--timeout')
      }
    }
    case 'restore': {
      take(0, 'only --name, --blind-peer and --timeout (the words come on standard input)')
      return {
        name,
        displayName: o.name,
        blindPeer: o['blind-peer'],
        timeout: o.timeout === undefined ? undefined : duration(o.timeout, '--timeout')
      }
    }
    case 'whoami':
    case 'phrase':
    case 'rooms':
    case 'status':
      take(0, 'no arguments')
      return { name }
    case 'serve': {
      take(0, 'only --web and --port')
      if (o.port !== undefined && !o.web) throw new UsageError('--port goes with --web')
      const port = o.port === undefined ? DEFAULT_WEB_PORT : positiveInt(o.port, '--port')
      if (port > 65535) throw new UsageError('--port takes a port number')
      return { name, web: o.web ?? false, port }
    }
    case 'create':
      return { name, roomName: take(1, 'a room NAME')[0], topic: o.topic }
    case 'invite':
      return {
        name,
        room: take(1, 'a ROOM')[0],
        expiresIn: o.expires === undefined ? undefined : duration(o.expires, '--expires'),
        uses: o.uses === undefined ? undefined : positiveInt(o.uses, '--uses'),
        forProfile: o.for,
        note: o.note
      }
    case 'invites':
    case 'leave':
    case 'tail':
    case 'members':
    case 'mirrors':
      return { name, room: take(1, 'a ROOM')[0] }
    case 'revoke': {
      const [room, invite] = take(2, 'ROOM INVITE_ID')
      return { name, room, invite }
    }
    case 'join':
      if (args.length === 0) throw new UsageError('"join" takes an INVITE code or link')
      return {
        name,
        // the words of a pasted sentence around the code, unquoted, are one text too
        code: args.join(' '),
        timeout: o.timeout === undefined ? undefined : duration(o.timeout, '--timeout')
      }
    case 'send': {
      const [room, text] = take(2, 'ROOM TEXT')
      return { name, room, text, wait: o.wait ?? false }
    }
    case 'messages':
      return {
        name,
        room: take(1, 'a ROOM')[0],
        limit: o.limit === undefined ? undefined : positiveInt(o.limit, '--limit'),
        before: o.before,
        around: o.around
      }
    case 'mirror':
    case 'unmirror': {
      const [room, key] = take(2, 'ROOM BLIND_PEER_KEY')
      return { name, room, key }
    }
    case 'config': {
      if (args.length === 0) return { name, setting: null, value: null }
      const [setting, value] = take(
        2,
        'blind-peer KEY or relay KEY (or "none"), or nothing to show the settings'
      )
      if (setting !== 'blind-peer' && setting !== 'relay') {
        throw new UsageError(`Unknown setting "${setting}" (settings: blind-peer, relay)`)
      }
      return { name, setting, value }
    }
    case 'remove': {
      const [room, profile] = take(2, 'ROOM PROFILE')
      return { name, room, profile }
    }
    case 'role': {
      const [room, profile, role] = take(3, 'ROOM PROFILE admin|member')
      if (role !== 'admin' && role !== 'member') throw new UsageError('role is admin or member')
      return { name, room, profile, role }
    }
    default:
      return missingCase(name)
  }
}

function duration(text: string, flag: string): number {
  const ms = parseDuration(text)
  if (ms === null) throw new UsageError(`${flag} takes a duration such as 30s, 10m, 2h or 7d`)
  return ms
}

function positiveInt(text: string, flag: string): number {
  const n = Number(text)
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n <= 0)
    throw new UsageError(`${flag} takes a positive whole number`)
  return n
}

function missingCase(value: never): never {
  throw new Error('Unhandled command: ' + String(value))
}

/** Commands that need the swarm when they run their own core. */
export function needsNetwork(command: Command): boolean {
  return (
    command.name === 'join' ||
    command.name === 'leave' ||
    command.name === 'tail' ||
    command.name === 'serve' ||
    command.name === 'download' ||
    command.name === 'link' ||
    command.name === 'restore' ||
    (command.name === 'init' && command.link !== undefined) ||
    ((command.name === 'send' || command.name === 'send-file') && command.wait)
  )
}
