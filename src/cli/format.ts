import type {
  Invite,
  Member,
  Message,
  Mirror,
  PeerConnection,
  Room,
  RoomConnection,
  Status
} from '../shared/api/contract.js'
import { labelFor, roomNames, shownName } from '../shared/text/display-names.js'

/** Labels by profile id, from roomNames(): a name shared by two people gets a key suffix. */
export type Names = ReadonlyMap<string, string>

/**
 * Dropped from terminal output: control characters (escape sequences start with one) and bidi
 * embeddings, overrides and isolates, which would reorder the rest of the line. Tabs and line
 * breaks stay.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** Any string, safe to print to a terminal. */
export function printable(text: string): string {
  return String(text ?? '').replace(TERMINAL_UNSAFE, '')
}

/** Shown for a time no Date can hold (a hostile sender's clock, or no number at all). */
export const UNKNOWN_TIME = '????-??-?? ??:??:??'

/** `2026-01-02T10:00:00.000Z`, or null for what no Date can hold: never throws. */
export function isoTime(ts: unknown): string | null {
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return null
  const date = new Date(ts)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** `2026-01-02 10:00:00` (UTC), or UNKNOWN_TIME: never throws, whatever `ts` is. */
export function formatTimestamp(ts: unknown): string {
  return isoTime(ts)?.replace('T', ' ').slice(0, 19) ?? UNKNOWN_TIME
}

/** The JSON line shape of a message (stable: scripts parse it). */
export function messageJson(m: Message): Record<string, unknown> {
  return {
    id: m.id,
    room: m.room,
    author: m.author,
    authorName: m.authorName,
    text: m.text,
    timestamp: m.timestamp,
    state: m.state,
    seq: m.seq,
    replyTo: m.replyTo,
    editedAt: m.editedAt,
    deleted: m.deleted,
    reactions: m.reactions,
    mentions: m.mentions,
    pinned: m.pinned,
    file: m.file ?? null
  }
}

/** `1.5 MiB`: a byte count for people; never throws. */
export function sizeText(bytes: number): string {
  const n = Number(bytes)
  if (!Number.isFinite(n) || n < 0) return '? B'
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = n
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`
}

/** `📎 photo.png (1.5 MiB)` for a file message; '' for any other. */
export function fileMark(m: Message): string {
  const file = m.file
  if (file === null || file === undefined || typeof file !== 'object') return ''
  if (file.unreadable === true) return '📎 (attachment that cannot be read)'
  return `📎 ${printable(file.name)} (${sizeText(file.size)})`
}

/** `  (edited)  📌  👍 2  ❤️ 1`: what happened to a message since it was sent; never throws. */
function messageMarks(m: Message): string {
  const marks: string[] = []
  if (m.replyTo) marks.push(`(reply to ${printable(m.replyTo).slice(0, 64)})`)
  if (m.editedAt) marks.push('(edited)')
  if (m.pinned === true) marks.push('(pinned)')
  const reactions = typeof m.reactions === 'object' && m.reactions !== null ? m.reactions : {}
  for (const [emoji, who] of Object.entries(reactions)) {
    marks.push(`${printable(emoji)} ${Array.isArray(who) ? who.length : 0}`)
  }
  return marks.length === 0 ? '' : '  ' + marks.join('  ')
}

/** `[2026-01-02 10:00:00] Bob (qpw1): hello`; `names` tells apart authors who share a name. */
export function messageLine(m: Message, names?: Names): string {
  const time = formatTimestamp(m.timestamp)
  const state = m.state === 'pending' ? ' (pending)' : ''
  const caption = m.deleted === true ? '(message deleted)' : printable(m.text)
  const file = fileMark(m)
  const text = file === '' ? caption : caption === '' ? file : `${file} ${caption}`
  return `[${time}] ${labelFor(names ?? null, m.author, m.authorName)}: ${text}${state}${messageMarks(m)}`
}

export function roomLine(r: Room): string {
  const unread = r.unread > 0 ? `  ${r.unread} unread` : ''
  // an older core's DTO has no syncing field
  const syncing =
    r.syncing === null || r.syncing === undefined
      ? ''
      : `  catching up ${Number(r.syncing.percent) || 0}% (${Number(r.syncing.blocksLeft) || 0} blocks left)`
  return `${r.id}  ${shownName(r.name)}  (${r.memberCount} members, ${r.role ?? 'not a member'}, ${r.connection.peers} peers)${unread}${syncing}`
}

/** `<profile key>  Bob (qpw1)  admin`; pass roomNames(members) so shared names are told apart. */
export function memberLine(m: Member, names?: Names): string {
  const flags = `${m.removed ? '  (removed)' : ''}${m.isMe ? '  (you)' : ''}`
  return `${printable(m.id)}  ${labelFor(names ?? null, m.id, m.name)}  ${m.role}${flags}`
}

/** Every member's line, names told apart among them. */
export function memberLines(members: readonly Member[]): string[] {
  const names = roomNames(members)
  return members.map((m) => memberLine(m, names))
}

export function inviteLine(i: Invite): string {
  const expires =
    i.expiresAt === null ? 'never expires' : `expires ${isoTime(i.expiresAt) ?? UNKNOWN_TIME}`
  const uses = i.usesLeft === null ? 'unlimited uses' : `${i.usesLeft} of ${i.uses} uses left`
  const note = i.note === null ? '' : `  "${printable(i.note)}"`
  const code = i.code === null ? '' : `  ${printable(i.code)}`
  return `${printable(i.id)}  ${printable(i.state)}  ${expires}  ${uses}${note}${code}`
}

export function mirrorLine(m: Mirror): string {
  const reach = m.reachable ? 'reachable' : 'not reachable'
  return `${m.key}  ${reach}  ${m.syncedLength}/${m.localLength} of your blocks${m.synced ? ' (synced)' : ''}`
}

/** "2 peers (1 direct, 1 relayed), blind peer connected" or the trouble, in words. */
export function connectionLine(c: RoomConnection): string {
  const blind = c.blindPeers > 0 ? ', blind peer connected' : ''
  const via = c.relays.length > 0 ? ` through ${c.relays.join(', ')}` : ''
  const line = `${c.peers} peers (${c.direct} direct, ${c.relayed} relayed${via})${blind}`
  return c.trouble === null ? line : `${line}: ${c.trouble.message} ${c.trouble.hint}`
}

export function peerLine(p: PeerConnection): string {
  const path = p.relay === null ? 'direct' : `relayed through ${p.relay}`
  const rtt = p.rttMs === null ? '' : `, ${p.rttMs} ms`
  return `${p.blindPeer ? 'blind peer' : 'peer'} ${p.id} (${path}${rtt})`
}

export function statusLines(s: Status): string[] {
  const lines = [
    s.profile === null
      ? 'profile: none (run roost init --name NAME)'
      : `profile: ${shownName(s.profile.name)} (${s.profile.id})`,
    `network: ${s.online ? 'online' : 'offline (no core running: start roost serve)'}`
  ]
  if (s.online) {
    if (s.dht.reachable === false) lines.push('  no DHT node answers (offline, or UDP blocked)')
    if (s.dht.symmetricNat === true) {
      lines.push('  strict NAT (symmetric): direct connections to similar networks need a relay')
    }
    lines.push(`  relays: ${s.relays.length === 0 ? 'none' : s.relays.join(', ')}`)
  }
  for (const room of s.rooms) {
    lines.push(`${room.room}  ${shownName(room.name)}: ${connectionLine(room.connection)}`)
    for (const peer of room.peers) lines.push('  ' + peerLine(peer))
    for (const mirror of room.mirrors) lines.push('  mirror ' + mirrorLine(mirror))
  }
  return lines
}

/** A word as a POSIX shell reads it back: bare when that is safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/** The command that starts this `serve --web` again, with the data dir and port it uses. */
export function serveCommandLine(dataDir: string, port: number): string {
  return `roost --data ${shellWord(dataDir)} serve --web --port ${port}`
}
