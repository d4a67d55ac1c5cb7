import type { Invite, Member, Message, Mirror, Room, Status } from '../shared/api/contract.js'

/** The JSON line shape of a message (stable: scripts parse it). */
export function messageJson(m: Message): Record<string, unknown> {
  return {
    id: m.id,
    room: m.room,
    author: m.author,
    authorName: m.authorName,
    text: m.text,
    timestamp: m.timestamp,
    state: m.state
  }
}

export function messageLine(m: Message): string {
  const time = new Date(m.timestamp).toISOString().replace('T', ' ').slice(0, 19)
  const state = m.state === 'pending' ? ' (pending)' : ''
  return `[${time}] ${m.authorName || m.author.slice(0, 8)}: ${m.text}${state}`
}

export function roomLine(r: Room): string {
  const unread = r.unread > 0 ? `  ${r.unread} unread` : ''
  return `${r.id}  ${r.name}  (${r.memberCount} members, ${r.role ?? 'not a member'}, ${r.connection.peers} peers)${unread}`
}

export function memberLine(m: Member): string {
  return `${m.id}  ${m.name}  ${m.role}${m.removed ? '  (removed)' : ''}${m.isMe ? '  (you)' : ''}`
}

export function inviteLine(i: Invite): string {
  const expires =
    i.expiresAt === null ? 'never expires' : `expires ${new Date(i.expiresAt).toISOString()}`
  const uses = i.usesLeft === null ? 'unlimited uses' : `${i.usesLeft} of ${i.uses} uses left`
  return `${i.id}  ${i.state}  ${expires}  ${uses}`
}

export function mirrorLine(m: Mirror): string {
  const reach = m.reachable ? 'reachable' : 'not reachable'
  return `${m.key}  ${reach}  ${m.syncedLength}/${m.localLength} of your blocks${m.synced ? ' (synced)' : ''}`
}

export function statusLines(s: Status): string[] {
  const lines = [
    s.profile === null
      ? 'profile: none (run roost init --name NAME)'
      : `profile: ${s.profile.name} (${s.profile.id})`,
    `network: ${s.online ? 'online' : 'offline (no core running: start roost serve)'}`
  ]
  for (const room of s.rooms) {
    const relayed = room.peers.filter((p) => p.relayed).length
    lines.push(
      `${room.room}  ${room.name}: ${room.peers.length} peers (${room.peers.length - relayed} direct, ${relayed} relayed)`
    )
    for (const peer of room.peers) {
      const rtt = peer.rttMs === null ? '' : `, ${peer.rttMs} ms`
      lines.push(`  peer ${peer.id} (${peer.relayed ? 'relayed' : 'direct'}${rtt})`)
    }
    for (const mirror of room.mirrors) lines.push('  mirror ' + mirrorLine(mirror))
  }
  return lines
}
