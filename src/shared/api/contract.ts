/**
 * RoostApi: the one contract between the core and every client (CLI, app, browser, tests).
 * Every value is JSON-safe: keys are z32 strings, times are ms since the epoch.
 */

export type RoomId = string
export type ProfileId = string
/** `<writer key z32>.<seq>`: stable across peers and reorders. */
export type MessageId = string
export type InviteId = string

export type Role = 'admin' | 'member'
export type NotifyLevel = 'all' | 'mentions' | 'none'
export type MessageState = 'pending' | 'sent'

export interface Profile {
  id: ProfileId
  name: string
}

export interface PeerConnection {
  /** The remote peer's swarm key (z32). */
  id: string
  relayed: boolean
  /** The blind relay carrying this connection (z32 key); null when direct. */
  relay: string | null
  /** The peer is one of the room's blind peers rather than a member's device. */
  blindPeer: boolean
  /** Smoothed round-trip time of the UDP stream; null when not measured yet. */
  rttMs: number | null
}

/**
 * Why no member could be reached for a while:
 * - NO_NETWORK: no DHT node answers (offline, or UDP blocked);
 * - NEEDS_RELAY: members were found but a direct connection is impossible and no relay is set;
 * - PEERS_UNREACHABLE: members were found but connecting has not worked yet;
 * - PEERS_OFFLINE: the DHT works and no other member is online.
 */
export type ConnectionTroubleCode =
  'NO_NETWORK' | 'NEEDS_RELAY' | 'PEERS_UNREACHABLE' | 'PEERS_OFFLINE'

export interface ConnectionTrouble {
  code: ConnectionTroubleCode
  /** What is wrong, in words for people. */
  message: string
  /** What to do about it. */
  hint: string
}

export interface RoomConnection {
  /** Connected members' devices (blind peers not counted). */
  peers: number
  direct: number
  relayed: number
  /** Blind peers of the room connected now. */
  blindPeers: number
  /** The blind relays (z32 keys) that carry the relayed connections. */
  relays: string[]
  /** Set once no member has been reachable for a while; null while connected or still trying. */
  trouble: ConnectionTrouble | null
}

/** A room catching up: blocks its members wrote that this device has not applied yet. */
export interface RoomSyncing {
  blocksLeft: number
  /** Of this catch-up, 0–100. */
  percent: number
  /** Jumping to the members' signed state instead of applying every block. */
  fastForwarding: boolean
}

export interface Room {
  id: RoomId
  name: string
  topic: string
  role: Role | null
  writable: boolean
  memberCount: number
  messageCount: number
  unread: number
  lastMessage: Message | null
  connection: RoomConnection
  /** Null when the room is up to date as far as this device knows. */
  syncing: RoomSyncing | null
  /** Which new messages notify: this device's setting, never shared with the room. */
  notify: NotifyLevel
}

export interface Message {
  id: MessageId
  room: RoomId
  author: ProfileId
  authorName: string
  text: string
  timestamp: number
  replyTo: MessageId | null
  state: MessageState
  /** Position in the room's timeline (0 = oldest); may shift until the room's order settles. */
  seq: number
  /** The author's clock at the last edit; null when never edited. */
  editedAt: number | null
  /** Deleted by its author or an admin: `text` is '' and only the tombstone is left. */
  deleted: boolean
  /** Emoji → the profiles that reacted with it, in the order they did. */
  reactions: Record<string, ProfileId[]>
  /** The members the text @mentions. */
  mentions: ProfileId[]
  pinned: boolean
}

/**
 * A change of who is in the room or what it is called, as a quiet line in the timeline:
 * - created, joined, left, removed (`subject` is the member);
 * - renamed (`name` is the new name, `previous` the old one);
 * - role (`role` is the new one);
 * - room-renamed, topic (`subject` is null; `name` is the new name or topic).
 */
export type RosterChangeKind =
  'created' | 'joined' | 'left' | 'removed' | 'renamed' | 'role' | 'room-renamed' | 'topic'

export interface RosterChange {
  id: string
  room: RoomId
  kind: RosterChangeKind
  /** Who made the change (the member themself for joined-by-invite is the admitter). */
  actor: ProfileId
  /** The actor's name now. */
  actorName: string
  subject: ProfileId | null
  /** The subject's name now; null when there is no subject. */
  subjectName: string | null
  name: string
  previous: string | null
  role: Role | null
  /** The actor's clock; 0 when its op carried none (written by an older version). */
  timestamp: number
  /** Messages before it in the room's order: it shows above the message with this seq. */
  position: number
}

export interface MessagePage {
  messages: Message[]
  /** Older messages are left. */
  hasMore: boolean
  /** Newer messages are left: only a page read `around` a message can have them. */
  hasNewer?: boolean
}

export interface Member {
  id: ProfileId
  name: string
  role: Role
  removed: boolean
  isMe: boolean
}

export interface Invite {
  id: InviteId
  /**
   * The secret a joiner needs, and its `roost://invite/` link: kept by the device that made the
   * invite (never shared with the room) until it is revoked; null on every other device.
   */
  code: string | null
  link: string | null
  /** The maker's own label for it, kept with the code on the device that made it. */
  note: string | null
  expiresAt: number | null
  uses: number | null
  usesLeft: number | null
  revoked: boolean
  state: 'active' | 'expired' | 'used' | 'revoked'
  /** The only profile this invite admits, or null for anyone holding it. */
  forProfile: ProfileId | null
}

/** A blind peer that keeps a room's encrypted cores. */
export interface Mirror {
  /** The blind peer's public key, z32. */
  key: string
  /** Connected and replicating this room now. */
  reachable: boolean
  /** How much of our own writer core it holds, of `localLength` blocks. */
  syncedLength: number
  localLength: number
  synced: boolean
}

export interface Config {
  /** Blind peer added as a mirror to every room this profile creates. */
  blindPeer: string | null
  /** Blind relay (any blind peer's key) for connections that cannot be direct, in every room. */
  relay: string | null
}

export interface RoomStatus {
  room: RoomId
  name: string
  connection: RoomConnection
  peers: PeerConnection[]
  mirrors: Mirror[]
}

export interface Status {
  profile: Profile | null
  online: boolean
  dht: {
    bootstrap: string[] | null
    host: string | null
    firewalled: boolean | null
    /** Reached DHT nodes (false when offline or UDP is blocked). */
    reachable: boolean | null
    /** Our NAT gives each destination a new port (symmetric): direct connections often fail. */
    symmetricNat: boolean | null
  }
  /** Blind relays this device may use (z32), preferred first. */
  relays: string[]
  rooms: RoomStatus[]
}

export interface CreateRoomOptions {
  name: string
  topic?: string
}
export interface MessagesOptions {
  before?: MessageId
  /** The page around this message (it and about half the page before it), not with `before`. */
  around?: MessageId
  limit?: number
}
export interface RosterChangesOptions {
  /** Only changes at or after this message position (a `seq`); omitted: from the start. */
  from?: number
  /** The newest this many (default and most: MAX_ROSTER_CHANGES_PAGE). */
  limit?: number
}
export interface SendOptions {
  text: string
  replyTo?: MessageId
  /** Profiles the text @mentions (members of the room). */
  mentions?: ProfileId[]
}
export interface SearchOptions {
  /** Only this room's messages; omitted: every room. */
  room?: RoomId
  /** Most hits (default 20, a page of results; at most 200). */
  limit?: number
}
export interface EditOptions {
  text: string
  /** The mentions of the new text; omitted: none. */
  mentions?: ProfileId[]
}
export interface InviteOptions {
  /** Milliseconds from now; omitted: the invite does not expire. */
  expiresIn?: number
  /** How many people it admits; omitted: unlimited. */
  uses?: number
  /** A profile id: the invite admits that profile alone, and may bring back one an admin removed. */
  forProfile?: string
  /** A label for the maker only (who it was for), up to MAX_INVITE_NOTE_CHARS; not shared. */
  note?: string
}
export interface JoinOptions {
  timeout?: number
}
export interface RoomInfoUpdate {
  name?: string
  topic?: string
}

export interface MessageEvent {
  room: RoomId
  message: Message
}
export interface MessageStateEvent {
  room: RoomId
  id: MessageId
  state: MessageState
}
/** A message already delivered changed: edited, deleted, reacted to, pinned or unpinned. */
export interface MessageChangeEvent {
  room: RoomId
  message: Message
}
export interface RoomEvent {
  room: RoomId
}
export interface ConnectionEvent {
  room: RoomId
  connection: RoomConnection
}

export type Listener<T> = (data: T) => void
export type Unsubscribe = () => void

export interface RoostApi {
  profile(): Promise<Profile | null>
  init(opts: { name: string }): Promise<Profile>
  setName(name: string): Promise<Profile>

  rooms(): Promise<Room[]>
  room(room: RoomId): Promise<Room>
  createRoom(opts: CreateRoomOptions): Promise<Room>
  leaveRoom(room: RoomId): Promise<void>
  setRoomInfo(room: RoomId, info: RoomInfoUpdate): Promise<Room>
  setRoomNotify(room: RoomId, level: NotifyLevel): Promise<Room>

  messages(room: RoomId, opts?: MessagesOptions): Promise<MessagePage>
  send(room: RoomId, opts: SendOptions): Promise<Message>
  /** Resolves when a remote peer has the message (state 'sent'). */
  waitSent(room: RoomId, id: MessageId): Promise<Message>
  markRead(room: RoomId, id: MessageId): Promise<void>
  /** Your own message's new text; shown as edited everywhere. */
  edit(room: RoomId, id: MessageId, opts: EditOptions): Promise<Message>
  /** Your own message, or anyone's as an admin: every member's view keeps only a tombstone. */
  delete(room: RoomId, id: MessageId): Promise<Message>
  /** Adds (on) or takes back your reaction with one emoji. */
  react(room: RoomId, id: MessageId, emoji: string, on: boolean): Promise<Message>
  /** Pins or unpins a message (admins). */
  pin(room: RoomId, id: MessageId, on: boolean): Promise<Message>
  /** The pinned messages, in timeline order. */
  pins(room: RoomId): Promise<Message[]>
  /**
   * Messages this device can read whose text has every word of `query` (the last one also as a
   * word's start), newest first. Case and accents do not matter. The index is this device's own.
   */
  search(query: string, opts?: SearchOptions): Promise<Message[]>

  members(room: RoomId): Promise<Member[]>
  /** Roster lines for the timeline, oldest first; read again on onDidChangeMembers. */
  rosterChanges(room: RoomId, opts?: RosterChangesOptions): Promise<RosterChange[]>
  removeMember(room: RoomId, profile: ProfileId): Promise<void>
  setRole(room: RoomId, profile: ProfileId, role: Role): Promise<void>

  createInvite(room: RoomId, opts?: InviteOptions): Promise<Invite>
  invites(room: RoomId): Promise<Invite[]>
  revokeInvite(room: RoomId, id: InviteId): Promise<void>
  join(code: string, opts?: JoinOptions): Promise<Room>

  addMirror(room: RoomId, key: string): Promise<Mirror[]>
  removeMirror(room: RoomId, key: string): Promise<Mirror[]>
  mirrors(room: RoomId): Promise<Mirror[]>

  config(): Promise<Config>
  setConfig(patch: Partial<Config>): Promise<Config>

  /** Resolves a room key or a unique room name to the room key. */
  resolveRoom(ref: string): Promise<RoomId>
  status(): Promise<Status>

  onDidChangeRooms(listener: Listener<RoomEvent>): Unsubscribe
  onDidReceiveMessage(listener: Listener<MessageEvent>): Unsubscribe
  onDidChangeMessageState(listener: Listener<MessageStateEvent>): Unsubscribe
  onDidChangeMembers(listener: Listener<RoomEvent>): Unsubscribe
  onDidChangeConnection(listener: Listener<ConnectionEvent>): Unsubscribe
  onDidChangeMirrors(listener: Listener<RoomEvent>): Unsubscribe
  /**
   * The room's order was rewritten (members' writes merged in another order, or a catch-up
   * replaced what was applied): messages already read may have other `seq`s now, or be gone.
   * Read what is shown again.
   */
  onDidReorderMessages(listener: Listener<RoomEvent>): Unsubscribe
  onDidChangeMessage(listener: Listener<MessageChangeEvent>): Unsubscribe
}

export interface RoostEvents {
  onDidChangeRooms: RoomEvent
  onDidReceiveMessage: MessageEvent
  onDidChangeMessageState: MessageStateEvent
  onDidChangeMembers: RoomEvent
  onDidChangeConnection: ConnectionEvent
  onDidChangeMirrors: RoomEvent
  onDidReorderMessages: RoomEvent
  onDidChangeMessage: MessageChangeEvent
}

export type EventName = keyof RoostEvents

export const API_EVENTS: readonly EventName[] = [
  'onDidChangeRooms',
  'onDidReceiveMessage',
  'onDidChangeMessageState',
  'onDidChangeMembers',
  'onDidChangeConnection',
  'onDidChangeMirrors',
  'onDidReorderMessages',
  'onDidChangeMessage'
]

export type MethodName = Exclude<keyof RoostApi, EventName>

export const API_METHODS: readonly MethodName[] = [
  'profile',
  'init',
  'setName',
  'rooms',
  'room',
  'createRoom',
  'leaveRoom',
  'setRoomInfo',
  'setRoomNotify',
  'messages',
  'send',
  'waitSent',
  'markRead',
  'edit',
  'delete',
  'react',
  'pin',
  'pins',
  'search',
  'members',
  'rosterChanges',
  'removeMember',
  'setRole',
  'createInvite',
  'invites',
  'revokeInvite',
  'join',
  'addMirror',
  'removeMirror',
  'mirrors',
  'config',
  'setConfig',
  'resolveRoom',
  'status'
]

export const INVITE_LINK_PREFIX = 'roost://invite/'
