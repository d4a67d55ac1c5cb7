import fs from 'fs/promises'
import path from 'path'
import { fileURLToPath } from 'url'
import type { RoostApi } from '../shared/api/contract.js'
import { WebServer } from '../core/web/web-server.js'
import { loadWebToken } from '../core/web/web-token.js'
import { RoostError } from '../shared/api/errors.js'
import { connectApi } from '../shared/rpc/connect-api.js'
import { DataDirLock } from '../core/control/data-dir-lock.js'
import { createRoost, type Roost } from '../core/roost.js'
import { needsNetwork, parseCliArgs, UsageError, type Command, type GlobalOptions } from './args.js'
import { defaultDataDir } from './data-dir.js'
import { roomNames } from '../shared/text/display-names.js'
import {
  inviteLine,
  memberLines,
  messageJson,
  messageLine,
  connectionLine,
  mirrorLine,
  peerLine,
  roomLine,
  serveCommandLine,
  statusLines
} from './format.js'
import { USAGE } from './usage.js'
import { isConversationCommand, runConversationCommand } from './conversation-commands.js'
import { isFileCommand, runFileCommand } from './file-commands.js'
import { isDeviceCommand, runDeviceCommand } from './device-commands.js'

interface Session {
  api: RoostApi
  /** The core this process runs itself; null when it talks to a running one. */
  local: Roost | null
  dataDir: string
  close(): Promise<void>
}

class Output {
  constructor(readonly json: boolean) {}
  line(text: string): void {
    process.stdout.write(text + '\n')
  }
  value(json: unknown, text: string | string[]): void {
    if (this.json) this.line(JSON.stringify(json))
    else for (const line of Array.isArray(text) ? text : [text]) this.line(line)
  }
  log(text: string): void {
    process.stderr.write(`${new Date().toISOString()} ${text}\n`)
  }
}

/**
 * The core this command runs on: a long-running one (serve, tail, the app) through its control
 * socket, waiting while it starts; else a core of our own, once no other command holds the
 * data dir. `serve` and `tail` hold it as long-running cores, every other command as a one-shot.
 */
async function openSession(global: GlobalOptions, command: Command, out: Output): Promise<Session> {
  const dataDir = global.data ?? defaultDataDir()
  const longRunning = command.name === 'serve' || command.name === 'tail'
  for (;;) {
    const opened = await DataDirLock.open(dataDir, {
      kind: longRunning ? 'long-running' : 'one-shot',
      command: `roost ${command.name}`,
      mustOwn: command.name === 'serve',
      log: (line) => out.log(line)
    })
    if ('remote' in opened) {
      const api = connectApi(opened.remote)
      return { api, local: null, dataDir, close: async () => api.close() }
    }
    const { lock } = opened
    lock.handOff() // the core below adopts it instead of taking the lock again
    let roost: Roost
    try {
      roost = await createRoost({
        dataDir,
        bootstrap: global.bootstrap,
        host: global.host,
        offline: !needsNetwork(command),
        troubleAfterMs: troubleAfterMs()
      })
    } catch (err) {
      await lock.release()
      throw err
    }
    const close = async () => {
      lock.hold() // commands starting now wait for the data dir, not for a closing core
      await roost.close()
      await lock.release()
    }
    // a serve that started while our core opened waits for us: nothing done yet, let it have it
    if (await lock.longRunningWaits()) {
      await close()
      continue
    }
    lock.ready()
    return { api: roost, local: roost, dataDir, close }
  }
}

/** Tests shorten the wait before a room reports why nobody is reachable (default 10 s). */
function troubleAfterMs(): number | undefined {
  const ms = Number(process.env.ROOST_TROUBLE_AFTER_MS)
  return Number.isInteger(ms) && ms >= 0 ? ms : undefined
}

/** The recovery phrase from standard input: its first line (a prompt when it is a terminal). */
async function readPhrase(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Your 24 words: ')
  let text = ''
  for await (const chunk of process.stdin) {
    text += String(chunk)
    if (text.includes('\n') || text.length > 4096) break
  }
  return text.split('\n')[0]
}

/** Resolves on Ctrl-C or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
}

/**
 * A member's profile id from what a person types: the id itself, a unique prefix of it (the key
 * suffix shown beside a shared name), or a unique display name. Anything else goes to the core
 * as typed, which answers MEMBER_NOT_FOUND.
 */
async function profileIn(api: RoostApi, roomId: string, ref: string): Promise<string> {
  const text = ref.trim()
  const members = await api.members(roomId)
  if (members.some((m) => m.id === text)) return text
  const byPrefix = text.length >= 4 ? members.filter((m) => m.id.startsWith(text)) : []
  if (byPrefix.length === 1) return byPrefix[0].id
  const byName = members.filter((m) => m.name.toLowerCase() === text.toLowerCase())
  if (byName.length === 1) return byName[0].id
  if (byName.length > 1 || byPrefix.length > 1)
    throw RoostError.invalidArgument(`"${text}" names several members: give the profile id`)
  return text
}

async function run(command: Command, session: Session, out: Output): Promise<void> {
  const { api } = session
  const room = (ref: string) => api.resolveRoom(ref)
  if (isConversationCommand(command)) return runConversationCommand(command, api, out)
  if (isFileCommand(command)) return runFileCommand(command, api, out)
  if (isDeviceCommand(command))
    return runDeviceCommand(command, api, out, { local: session.local !== null, untilSignal })
  switch (command.name) {
    case 'init': {
      if (command.link !== undefined) {
        const linked = await api.init({
          name: command.displayName,
          link: command.link,
          timeoutMs: command.timeout
        })
        out.log('linked: this device writes as you in your rooms; your words stay on the other')
        return out.value(linked, `${linked.name} ${linked.id}`)
      }
      const profile = await api.init({ name: command.displayName })
      out.log('your profile comes from 24 words: run `roost phrase` and write them down')
      return out.value(profile, `${profile.name} ${profile.id}`)
    }
    case 'phrase': {
      const phrase = await api.phrase()
      out.log('anyone with these words is you: keep them offline, never share them')
      return out.value({ phrase }, phrase)
    }
    case 'restore': {
      const phrase = await readPhrase()
      const profile = await api.init({
        name: command.displayName,
        phrase,
        blindPeer: command.blindPeer,
        timeoutMs: command.timeout
      })
      const rooms = await api.rooms()
      out.log(`${rooms.length} room${rooms.length === 1 ? '' : 's'} back from your record`)
      return out.value(profile, `${profile.name} ${profile.id}`)
    }
    case 'whoami': {
      const profile = await api.profile()
      if (profile === null) throw RoostError.notInitialized()
      return out.value(profile, `${profile.name} ${profile.id}`)
    }
    case 'create': {
      const created = await api.createRoom({ name: command.roomName, topic: command.topic })
      return out.value(created, created.id)
    }
    case 'rooms': {
      const rooms = await api.rooms()
      if (out.json) for (const r of rooms) out.line(JSON.stringify(r))
      else if (rooms.length === 0) out.line('No rooms yet: roost create NAME, or roost join INVITE')
      else for (const r of rooms) out.line(roomLine(r))
      return
    }
    case 'invite': {
      const id = await room(command.room)
      const invite = await api.createInvite(id, {
        expiresIn: command.expiresIn,
        uses: command.uses,
        forProfile:
          command.forProfile === undefined
            ? undefined
            : await profileIn(api, id, command.forProfile),
        note: command.note
      })
      out.value(invite, [invite.code as string, invite.link as string])
      if (session.local !== null && !out.json) {
        out.log(
          'note: no core is online for this data dir; run `roost serve` so the invite can be answered'
        )
      }
      return
    }
    case 'invites': {
      const invites = await api.invites(await room(command.room))
      if (out.json) for (const i of invites) out.line(JSON.stringify(i))
      else for (const i of invites) out.line(inviteLine(i))
      return
    }
    case 'revoke':
      return api.revokeInvite(await room(command.room), command.invite)
    case 'join': {
      const joined = await api.join(command.code, { timeout: command.timeout })
      return out.value(joined, joined.id)
    }
    case 'send': {
      const id = await room(command.room)
      let message = await api.send(id, { text: command.text })
      if (command.wait) message = await api.waitSent(id, message.id)
      return out.value(messageJson(message), message.id)
    }
    case 'messages': {
      const id = await room(command.room)
      const page = await api.messages(id, {
        limit: command.limit,
        before: command.before,
        around: command.around
      })
      const names = roomNames(await api.members(id), page.messages)
      for (const m of page.messages) out.value(messageJson(m), messageLine(m, names))
      return
    }
    case 'tail': {
      const id = await room(command.room)
      let members = await api.members(id)
      const unsubscribeMembers = api.onDidChangeMembers(({ room: r }) => {
        if (r === id)
          void api.members(id).then(
            (m) => (members = m),
            () => {}
          )
      })
      const unsubscribe = api.onDidReceiveMessage(({ room: r, message }) => {
        if (r === id)
          out.value(messageJson(message), messageLine(message, roomNames(members, [message])))
      })
      // an edit, delete, reaction or pin: the message again, as it now is (the same id)
      const unsubscribeChanges = api.onDidChangeMessage(({ room: r, message }) => {
        if (r === id)
          out.value(
            messageJson(message),
            `changed ${message.id}: ${messageLine(message, roomNames(members, [message]))}`
          )
      })
      const stopped = untilSignal() // before saying so: a Ctrl-C right after must not kill us
      out.log(`tailing ${id}; Ctrl-C to stop`)
      await stopped
      unsubscribe()
      unsubscribeChanges()
      unsubscribeMembers()
      return
    }
    case 'members': {
      const members = await api.members(await room(command.room))
      if (out.json) for (const m of members) out.line(JSON.stringify(m))
      else for (const line of memberLines(members)) out.line(line)
      return
    }
    case 'remove': {
      const id = await room(command.room)
      return api.removeMember(id, await profileIn(api, id, command.profile))
    }
    case 'leave':
      return api.leaveRoom(await room(command.room))
    case 'role': {
      const id = await room(command.room)
      return api.setRole(id, await profileIn(api, id, command.profile), command.role)
    }
    case 'status': {
      const status = await api.status()
      return out.value(status, statusLines(status))
    }
    case 'serve':
      return serve(session, out, command)
    case 'mirror':
    case 'unmirror':
    case 'mirrors': {
      const id = await room(command.room)
      const mirrors =
        command.name === 'mirror'
          ? await api.addMirror(id, command.key)
          : command.name === 'unmirror'
            ? await api.removeMirror(id, command.key)
            : await api.mirrors(id)
      if (out.json) for (const m of mirrors) out.line(JSON.stringify(m))
      else if (mirrors.length === 0) out.line('No blind peers keep this room')
      else for (const m of mirrors) out.line(mirrorLine(m))
      return
    }
    case 'config': {
      const value = command.value === 'none' ? null : command.value
      const config =
        command.setting === null
          ? await api.config()
          : await api.setConfig(
              command.setting === 'relay' ? { relay: value } : { blindPeer: value }
            )
      return out.value(config, [
        `blind-peer: ${config.blindPeer ?? 'none'}`,
        `relay: ${config.relay ?? 'none'}`
      ])
    }
    default:
      return missingCase(command)
  }
}

/** The renderer build that `serve --web` serves (built by `npm run build:renderer`). */
const RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url))

async function serve(
  session: Session,
  out: Output,
  command: { web: boolean; port: number }
): Promise<void> {
  const roost = session.local as Roost
  // from here a SIGTERM shuts down cleanly, even one sent the moment we print "ready"
  const stopped = untilSignal()
  const profile = await roost.profile()
  // the web UI onboards a new profile itself
  if (profile === null && !command.web) throw RoostError.notInitialized()
  const names = new Map((await roost.rooms()).map((r) => [r.id, r.name]))
  roost.onDidChangeConnection(({ room, connection }) => {
    out.log(`room ${names.get(room) ?? room}: ${connectionLine(connection)}`)
    void roost.status().then(
      (status) => {
        const peers = status.rooms.find((r) => r.room === room)?.peers ?? []
        for (const peer of peers) out.log(`  ${peerLine(peer)}`)
      },
      () => {}
    ) // the core may be shutting down
  })
  roost.onDidChangeRooms(({ room }) => {
    void roost.room(room).then(
      (r) => names.set(r.id, r.name),
      () => names.delete(room)
    )
  })
  let web: WebServer | null = null
  if (command.web) {
    const built = await fs.stat(path.join(RENDERER_DIR, 'index.html')).then(
      () => true,
      () => false
    )
    if (!built) out.log('note: no renderer build found; run `npm run build` to get the web UI')
    web = new WebServer(roost, {
      staticDir: built ? RENDERER_DIR : null,
      port: command.port,
      token: await loadWebToken(session.dataDir, (line) => out.log(line)),
      serveCommand: serveCommandLine(session.dataDir, command.port)
    })
    await web.listen()
    // the link (with its token) goes to stdout alone; logs are kept and shared, so never in them
    out.log(`web UI on http://127.0.0.1:${web.port}/ (its link, with the token, is on stdout)`)
    if (!out.json) out.line(`web ${web.url}`)
  }
  // announcing can take long with no DHT reachable: a Ctrl-C meanwhile still shuts down
  const signalled = await Promise.race([roost.flush().then(() => false), stopped.then(() => true)])
  if (signalled) {
    out.log('shutting down')
    await web?.close()
    return
  }
  const { dht, relays } = await roost.status()
  const nat = dht.symmetricNat
    ? 'strict NAT (symmetric): members behind strict NATs too need a relay'
    : 'no strict NAT detected (yet)'
  const reach = dht.reachable === false ? 'no DHT node answers (offline, or UDP blocked)' : nat
  out.log(`network: ${reach}; relays: ${relays.length === 0 ? 'none' : relays.join(', ')}`)
  const who =
    profile === null
      ? 'a new profile (finish onboarding in the web UI)'
      : `${profile.name} (${profile.id})`
  out.log(`serving ${names.size} rooms as ${who}; Ctrl-C to stop`)
  if (out.json) {
    out.line(
      JSON.stringify({ ready: true, profile, rooms: [...names.keys()], web: web?.url ?? null })
    )
  }
  await stopped
  out.log('shutting down')
  await web?.close()
}

function missingCase(value: never): never {
  throw new Error('Unhandled command: ' + JSON.stringify(value))
}

export async function main(argv: string[]): Promise<number> {
  // `roost invite ROOM | head -1` closes our stdout early: that is not an error
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err
  })
  let parsed
  try {
    parsed = parseCliArgs(argv)
  } catch (err) {
    if (!(err instanceof UsageError)) throw err
    process.stderr.write(`roost: ${err.message}\n\n${USAGE}\n`)
    return 2
  }
  if (parsed.global.help || parsed.command === null) {
    process.stdout.write(USAGE + '\n')
    return parsed.global.help ? 0 : 2
  }
  const out = new Output(parsed.global.json)
  let session: Session | null = null
  try {
    session = await openSession(parsed.global, parsed.command, out)
    await run(parsed.command, session, out)
    return 0
  } catch (err) {
    const error = RoostError.from(err)
    process.stderr.write(`error ${error.code}: ${error.message}\n`)
    return 1
  } finally {
    if (session !== null) await session.close()
  }
}
