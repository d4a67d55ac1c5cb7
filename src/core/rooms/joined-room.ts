import { EventEmitter } from 'events'
import type Autobase from 'autobase'
import b4a from 'b4a'
import z32 from 'z32'
import type {
  FileInfo,
  Invite,
  Member,
  Message,
  Mirror,
  MessageState,
  PeerConnection,
  Role,
  RoomConnection
} from '../../shared/api/contract.js'
import type Hypercore from 'hypercore'
import type { LonelyLookups } from '../network/lonely-lookups.js'
import type { Network } from '../network/network.js'
import { EpochKeyring } from '../epochs/epoch-keyring.js'
import { fileInfoOf } from '../files/file-descriptor.js'
import { inviteState } from '../invites/invite-admitter.js'
import type { KeptInvite } from '../invites/invite-code-store.js'
import { inviteLink } from '../invites/invite-code.js'
import { messageId } from './apply.js'
import { ROLE, type StoredInvite, type StoredMember, type StoredMessage } from './ops.js'
import type { Room } from './room.js'
import { SyncProgress } from './sync-progress.js'
import { SerialTask } from '../../shared/util/serial-task.js'
import type { RoomEntry } from './room-registry.js'
import { RoomConnectionWatch } from './room-connection-watch.js'
import { conversationFields } from './message-fields.js'
import { MessageChangeScan } from './message-change-scan.js'
import { NewestIdsAtOpen } from './newest-ids-at-open.js'

/** How far back a scan may look for new messages a reorder placed before announced ones. */
const MAX_REORDER_DEPTH = 256
/** Ids treated as announced when a room opens: covers the reorder depth scanned above. */
const SEEN_ON_OPEN = 256
/** When those ids are read if no new message asked for them first. */
const SEEN_LOAD_AFTER_MS = 2000
const MAX_SEEN_IDS = 20000
/** New messages past which the room's activity is announced before they are read. */
const PROMPT_ACTIVITY_AFTER = 256
const MIRROR_CHECK_MS = 250

export interface JoinedRoomOptions {
  /** Null for an offline core: no connection state to report. */
  network: Network | null
  /** How long no member may be reachable before the connection reports trouble. */
  troubleAfterMs?: number
}

export function roleName(role: number): Role {
  return role === ROLE.ADMIN ? 'admin' : 'member'
}

/**
 * A room this profile belongs to, as the API sees it: turns view records into DTOs and view
 * changes into events ('message', 'state', 'roster', 'connection').
 */
export class JoinedRoom extends EventEmitter {
  readonly room: Room
  readonly id: string
  /** The epoch keys we hold: what we may read and write with. */
  readonly keyring: EpochKeyring
  /** How far the room is from what its members wrote (the API's `syncing`). */
  readonly sync: SyncProgress
  entry: RoomEntry
  private _me: Buffer
  private _seen: Set<string>
  /** The messages present at open, read once the open is done (see _loadSeen). */
  private _atOpen: NewestIdsAtOpen | null
  private _seenLoaded: Promise<void> | null
  private _seenTimer: NodeJS.Timeout | null
  private _changes: MessageChangeScan
  private _knownCount: number
  private _knownRoster: number
  /** Our writer blocks below this were announced as 'sent'. */
  private _announcedSent: number
  private _sentTask: SerialTask
  private _names: Map<string, string>
  private _scan: SerialTask
  private _closed: boolean
  /** Our blobs core here once a file was sent or we opened it: mirrors hold it too. */
  ownBlobs: Hypercore | null
  private _mirrorCheck: SerialTask
  private _mirrorTimer: NodeJS.Timeout | null
  private _lastMirrors: string
  /** The room's blind peers (keys), as of the last roster change. */
  mirrorKeys: Buffer[]
  private _connection: RoomConnectionWatch
  /** Members not removed, as of the last roster change. */
  private _memberCount: number

  constructor(room: Room, entry: RoomEntry, me: Buffer, options: JoinedRoomOptions) {
    super()
    this.room = room
    this.id = entry.key
    this.keyring = new EpochKeyring(room)
    this.sync = new SyncProgress(room.base as Autobase<unknown>)
    this.entry = entry
    this._me = me
    this._seen = new Set()
    this._atOpen = null
    this._seenLoaded = null
    this._seenTimer = null
    this._changes = new MessageChangeScan(room)
    this._knownCount = 0
    this._knownRoster = 0
    this._announcedSent = 0
    this._sentTask = new SerialTask(
      () => this._announceSent(),
      (err) => this.emit('warning', err)
    )
    this._names = new Map()
    this._scan = new SerialTask(
      () => this._scanForChanges(),
      (err) => this.emit('warning', err)
    )
    this._closed = false
    this.ownBlobs = null
    this._memberCount = 0
    this._connection = new RoomConnectionWatch(room, {
      network: options.network,
      troubleAfterMs: options.troubleAfterMs,
      mirrorKeys: () => this.mirrorKeys,
      memberCount: () => this._memberCount,
      onChange: (connection) => this.emit('connection', connection)
    })
    this._mirrorCheck = new SerialTask(
      () => this._checkMirrors(),
      (err) => this.emit('warning', err)
    )
    this._mirrorTimer = null
    this._lastMirrors = ''
    this.mirrorKeys = []
  }

  /**
   * Reads the view: call it once the room is ready and, when online, findable by its peers. A
   * fast-forwarded view is sparse, so these reads may need blocks that only a peer has.
   */
  async open(): Promise<void> {
    // the ids and the count from one snapshot: a message is either counted and seen at open, or
    // new. Reading 256 messages cost more than the rest of a cold open, so the ids are read later
    this._atOpen = new NewestIdsAtOpen(this.room.view, SEEN_ON_OPEN)
    await this.keyring.refresh()
    this._knownCount = await this._atOpen.messageCount()
    this._knownRoster = await this.room.rosterVersion()
    await this._loadNames()
    await this._loadMirrorKeys()
    await this._changes.start()
    this._seenTimer = setTimeout(() => void this._loadSeen(), SEEN_LOAD_AFTER_MS)
    // our messages written while no peer was around stay pending across restarts (sentLength
    // is persisted by hypercore); only later progress is announced
    this._announcedSent = this.room.sentLength
    this.sync.start()
    this.room.on('update', () => {
      if (!this._closed) this._scan.request()
    })
    this.room.on('sent', () => {
      this._sentTask.request()
      this._requestMirrorCheck()
    })
    this.room.base.on('update', () => this._requestMirrorCheck())
    this.room.on('peers', () => {
      this._requestMirrorCheck()
      this._connection.check()
    })
    this._connection.check()
  }

  /**
   * Closes the room first, then waits for the scans: a fast-forwarded view is sparse, so a scan
   * may be waiting for a view block only a peer has, and the core closes its network before its
   * rooms. Closing the view cancels that read (the scan ends with an error nobody needs);
   * waiting for the scan first waited forever.
   */
  async close(): Promise<void> {
    this._closed = true
    this.sync.stop()
    if (this._mirrorTimer !== null) clearTimeout(this._mirrorTimer)
    this._connection.close()
    if (this._seenTimer !== null) clearTimeout(this._seenTimer)
    await this._atOpen?.release()
    await this.room.close()
    await Promise.all([
      this._seenLoaded,
      this._mirrorCheck.idle(),
      this._sentTask.idle(),
      this._scan.idle()
    ])
  }

  /** Every connection replicating the room: members' devices and blind peers. */
  peers(): PeerConnection[] {
    return this._connection.peers()
  }

  connection(peers?: PeerConnection[]): RoomConnection {
    return this._connection.connection(peers)
  }

  /** Looks the room up again while no other member is connected. */
  get lonelyLookups(): LonelyLookups {
    return this._connection.lonelyLookups
  }

  private async _loadMirrorKeys(): Promise<void> {
    this.mirrorKeys = (await this.room.mirrors()).map((m) => m.key)
  }

  async myRole(): Promise<Role | null> {
    const me = await this.room.member(this._me)
    return me === null || me.removed ? null : roleName(me.role)
  }

  /** Another device of this profile unlinked this one here. */
  async unlinked(): Promise<boolean> {
    return (await this.room.writer(this.room.writerKey))?.revoked === true
  }

  async isAdmin(): Promise<boolean> {
    return (await this.myRole()) === 'admin'
  }

  stateOf(writer: Buffer, id: string): MessageState {
    if (!b4a.equals(writer, this.room.writerKey)) return 'sent'
    const seq = Number(id.slice(id.lastIndexOf('.') + 1))
    return seq < this.room.sentLength ? 'sent' : 'pending'
  }

  /** The messages we may read, as DTOs (call after keyring.prepare for new epochs). */
  async readable(stored: StoredMessage[]): Promise<Message[]> {
    await this.keyring.prepare(stored)
    const messages: Message[] = []
    for (const m of stored) {
      const message = this.toMessage(m)
      if (message !== null) messages.push(message)
    }
    return messages
  }

  /** This device's profile key. */
  get me(): Buffer {
    return this._me
  }

  /** Null for a message sealed in an epoch we were never given (written after our removal). */
  toMessage(stored: StoredMessage): Message | null {
    const text =
      stored.deleted === true ? this.keyring.tombstoneText(stored) : this.keyring.textOf(stored)
    if (text === null) return null
    return {
      ...conversationFields(stored),
      id: stored.id,
      room: this.id,
      author: z32.encode(stored.author),
      authorName: this.nameOf(stored.author),
      text,
      timestamp: stored.timestamp,
      replyTo: stored.replyTo ?? null,
      state: this.stateOf(stored.writer, stored.id),
      seq: stored.seq,
      file: this.fileInfoOf(stored)
    }
  }

  /** The message's attachment as a DTO; null when it carries none (or was deleted). */
  fileInfoOf(stored: StoredMessage): FileInfo | null {
    if (stored.deleted === true) return null
    const descriptor = this.keyring.fileOf(stored)
    return descriptor === undefined ? null : fileInfoOf(descriptor)
  }

  /** A member's name as this room knows it now ('' for a profile it never had). */
  nameOf(profile: Buffer): string {
    return this._names.get(b4a.toString(profile, 'hex')) ?? ''
  }

  toMember(member: StoredMember): Member {
    return {
      id: z32.encode(member.profile),
      name: member.name,
      role: roleName(member.role),
      removed: member.removed,
      isMe: b4a.equals(member.profile, this._me)
    }
  }

  async mirrors(): Promise<Mirror[]> {
    const local = this.room.base.local
    const mirrors: Mirror[] = []
    for (const stored of await this.room.mirrors()) {
      const peer = local.peers.find((p) => b4a.equals(p.remotePublicKey, stored.key))
      const syncedLength =
        peer === undefined ? 0 : Math.min(peer.remoteContiguousLength, local.length)
      const blobs = this.ownBlobs
      const blobsPeer = blobs?.peers.find((p) => b4a.equals(p.remotePublicKey, stored.key))
      const blobsSynced =
        blobs === null ||
        blobs.length === 0 ||
        (blobsPeer?.remoteContiguousLength ?? 0) >= blobs.length
      mirrors.push({
        key: z32.encode(stored.key),
        reachable: peer !== undefined,
        syncedLength,
        localLength: local.length,
        synced: syncedLength >= local.length && blobsSynced
      })
    }
    return mirrors
  }

  /**
   * Emits 'mirrors' when a mirror's state changes. Hypercore has no event for a peer's progress
   * beyond the first peer to hold a block, so while a reachable mirror is behind, look again
   * every MIRROR_CHECK_MS until it has caught up.
   */
  private _requestMirrorCheck(): void {
    if (this.mirrorKeys.length > 0 || this._lastMirrors !== '[]') this._mirrorCheck.request()
  }

  private async _checkMirrors(): Promise<void> {
    if (this._closed) return
    const mirrors = await this.mirrors()
    const summary = JSON.stringify(mirrors)
    if (summary !== this._lastMirrors) {
      this._lastMirrors = summary
      this.emit('mirrors')
    }
    const behind = mirrors.some((m) => m.reachable && !m.synced)
    if (behind && this._mirrorTimer === null && !this._closed) {
      this._mirrorTimer = setTimeout(() => {
        this._mirrorTimer = null
        this._requestMirrorCheck()
      }, MIRROR_CHECK_MS)
    }
  }

  /** `kept`: what this device holds of the invite, if it made it. */
  toInvite(invite: StoredInvite, kept: KeptInvite | null): Invite {
    const code = kept?.code ?? null
    return {
      id: z32.encode(invite.id),
      code,
      link: code === null ? null : inviteLink(code),
      note: kept?.note ?? null,
      expiresAt: invite.expires === 0 ? null : invite.expires,
      uses: invite.uses === 0 ? null : invite.uses,
      usesLeft: invite.uses === 0 ? null : Math.max(0, invite.uses - invite.used),
      revoked: invite.revoked,
      state: inviteState(invite, Date.now()),
      forProfile: invite.forProfile ? z32.encode(invite.forProfile) : null
    }
  }

  /** Announces 'sent' for each of our messages a peer now holds (acks in between are skipped). */
  private async _announceSent(): Promise<void> {
    const sent = this.room.sentLength
    for (let seq = this._announcedSent; seq < sent && !this._closed; seq++) {
      const id = messageId(this.room.writerKey, seq)
      if ((await this.room.messageById(id)) !== null)
        this.emit('state', { id, state: 'sent' as const })
    }
    this._announcedSent = Math.max(this._announcedSent, sent)
  }

  private async _scanForChanges(): Promise<void> {
    const roster = await this.room.rosterVersion()
    if (roster !== this._knownRoster) {
      await this.keyring.refresh()
      await this._loadNames()
      await this._loadMirrorKeys()
      this._knownRoster = roster
      this._requestMirrorCheck()
      this._connection.check()
      this.emit('roster')
    }
    for (const message of await this.readable(await this._changes.take())) {
      if (!this._closed) this.emit('changed', message)
    }
    const count = await this.room.messageCount()
    if (count === this._knownCount) return
    await this._loadSeen()
    const grown = Math.max(0, count - this._knownCount)
    // a catch-up (a fast-forward past a backlog) reads every new message before announcing
    // them, seconds for thousands: say first that the room moved, so its count and newest
    // message (the room DTO) show at once
    if (grown > PROMPT_ACTIVITY_AFTER && !this._closed) this.emit('activity')
    const unseen = await this._unseenMessages(grown)
    // only once read: a read that fails (a view snapshot closed under it) is retried next update
    this._knownCount = count
    for (const stored of unseen) this._remember(stored.id)
    for (const message of await this.readable(unseen)) {
      if (!this._closed) this.emit('message', message)
    }
    // unread counts and the last message changed with them
    if (unseen.length > 0 && !this._closed) this.emit('activity')
  }

  /**
   * The `grown` messages not announced yet, oldest first. Usually they are the newest ones; when a
   * reorder placed some before messages already announced, read further back until all are found
   * (catching up after a long absence reads each new message once).
   */
  private async _unseenMessages(grown: number): Promise<StoredMessage[]> {
    const found: StoredMessage[] = []
    let beforeSeq: number | null = null
    let scanned = 0
    while (found.length < grown && scanned < grown + MAX_REORDER_DEPTH) {
      const { messages, hasMore } = await this.room.messagesBefore(
        beforeSeq,
        beforeSeq === null ? grown : 64
      )
      for (const m of messages) if (!this._seen.has(m.id)) found.push(m)
      scanned += messages.length
      if (!hasMore || messages.length === 0) break
      beforeSeq = messages[0].seq
    }
    return found.sort((a, b) => a.seq - b.seq)
  }

  /** Puts the messages present at open in `_seen`: at the first scan, or soon after open. */
  private _loadSeen(): Promise<void> {
    if (this._seenLoaded === null) this._seenLoaded = this._readSeen()
    return this._seenLoaded
  }

  private async _readSeen(): Promise<void> {
    if (this._atOpen === null || this._closed) return
    let ids: string[]
    try {
      ids = await this._atOpen.read()
    } catch (err) {
      if (this._closed) return
      // the view moved under the snapshot (a reboot): the live view is the next best thing
      this.emit('warning', err)
      const live = await this.room.messagesBefore(null, SEEN_ON_OPEN).catch(() => null)
      ids = live === null ? [] : live.messages.map((m) => m.id)
    }
    for (const id of ids) this._seen.add(id)
  }

  private _remember(id: string): void {
    this._seen.add(id)
    if (this._seen.size <= MAX_SEEN_IDS) return
    // a Set iterates in insertion order: forget the longest-announced id
    for (const oldest of this._seen) {
      this._seen.delete(oldest)
      break
    }
  }

  private async _loadNames(): Promise<void> {
    const members = await this.room.members()
    for (const member of members) {
      this._names.set(b4a.toString(member.profile, 'hex'), member.name)
    }
    this._memberCount = members.filter((m) => !m.removed).length
  }
}
