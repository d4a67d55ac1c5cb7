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
  /** Another of this profile's devices unlinked this one: it can read what it had, never write. */
  unlinked: boolean
  memberCount: number
  messageCount: number
  unread: number
  lastMessage: Message | null
  connection: RoomConnection
  /** Null when the room is up to date as far as this device knows. */
  syncing: RoomSyncing | null
  /** Which new messages notify: this device's setting, never shared with the room. */
  notify: NotifyLevel
  /** Files over this many bytes are not kept by the room's blind peers (members only). */
  mirrorFileCap: number
  /**
   * This device fetches every file others send here into the downloads folder as it arrives
   * (its own setting; images up to 10 MiB on screen are fetched by the app either way).
   */
  autoDownload: boolean
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
  /** The file it carries (the text is then its caption); null for a text message. */
  file: FileInfo | null
}

/** An attachment as its message describes it. */
export interface FileInfo {
  /** Safe as a file name on every OS: no path, no control characters. */
  name: string
  /** Bytes. */
  size: number
  /** MIME type, as the sender gave it ('application/octet-stream' when unknown). */
  type: string
  /** BLAKE2b-256 of the content, hex: checked after every download. */
  hash: string
  /** Pixels, for images whose sender measured them; otherwise null. */
  width: number | null
  height: number | null
  /** A small preview (at most 16 KiB) as a data: URL, made by the sender; null when none. */
  thumbnail: string | null
  /** Over the room's cap for blind peers: only members' devices hold it. */
  direct: boolean
  /** The attachment cannot be read (malformed, or its key never reached this device). */
  unreadable: boolean
}

/**
 * Where a file stands on this device:
 * - remote: not asked for yet;
 * - waiting: asked for, and no member or blind peer online holds it;
 * - downloading: bytes arriving (`bytes` of `size`);
 * - done: checked and saved at `path`;
 * - failed: stopped with `error` (asking again resumes);
 * - cancelled: stopped by a cancel (what arrived is kept for a later try).
 */
export type FileTransferState =
  'remote' | 'waiting' | 'downloading' | 'done' | 'failed' | 'cancelled'

export interface FileTransfer {
  room: RoomId
  message: MessageId
  file: FileInfo
  state: FileTransferState
  /** Bytes of the file this device holds. */
  bytes: number
  /** 0–100. */
  percent: number
  /** Bytes of it this core fetched from peers since it started (what a resume fetched again). */
  fetched: number
  /** The saved file, once done. */
  path: string | null
  /** `path` is the core's own copy for an inline image (DownloadOptions.preview), not a saved one. */
  preview?: boolean
  error: { code: string; message: string } | null
  /** The sender is this profile (its own files are always done). */
  mine: boolean
}

/**
 * A file being written into the room by this device, before its message exists: `bytes` of
 * `size` sealed and stored so far. `upload` is the caller's own token (SendFileOptions.upload).
 */
export interface FileSendProgress {
  room: RoomId
  upload: string
  bytes: number
  size: number
}

/**
 * A file to send: a path on the core's machine, or bytes staged with `stageUpload`. The name
 * defaults to the path's base name, the type to one guessed from the name.
 */
export interface SendFileOptions {
  path?: string
  /** The token stageUpload returned: the staged bytes are sent (and then removed). */
  staged?: string
  /** A caption. */
  text?: string
  replyTo?: MessageId
  name?: string
  type?: string
  /** For images, made by the caller: a data: URL of at most 16 KiB. */
  thumbnail?: string
  width?: number
  height?: number
  /** Echoed in onDidProgressSend events. */
  upload?: string
}

/** A chunk of a file being staged on the core from a client without a path (the browser). */
export interface StageUploadOptions {
  /** Omitted on the first chunk: a new staging is started and its token returned. */
  staged?: string
  /** Base64 bytes, at most 512 KiB per call. */
  data: string
}

export interface DownloadOptions {
  /** The folder to save into; default: the OS downloads folder. */
  out?: string
  /**
   * For an image shown inline: kept in this device's own media folder (in the data dir), not
   * the downloads folder. A later download without it saves a copy where asked.
   */
  preview?: boolean
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
  /** It holds all of our writer core and of the files we sent. */
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
  /** Bytes (admins): larger files go member to member only; 0 goes back to the default. */
  mirrorFileCap?: number
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
export interface FileTransferEvent {
  room: RoomId
  transfer: FileTransfer
}
export interface ConnectionEvent {
  room: RoomId
  connection: RoomConnection
}

export interface DevicesEvent {
  /** The device (z32). */
  device: string
  /**
   * `added`: its writers were appended here, so it is listed; `linked`: it has the rooms and
   * can write in them (the device that made the code may go offline); `unlinked`.
   */
  change: 'added' | 'linked' | 'unlinked'
}

export type Listener<T> = (data: T) => void
export type Unsubscribe = () => void

export interface InitOptions {
  /**
   * Required, except with `link` (the other device's profile name is used) and with `phrase`
   * (the name the person's record keeps is used; this one only if it keeps none).
   */
  name?: string
  /**
   * The 24 words of an existing profile, to restore it here: the same id, and the rooms, their
   * history and settings from the person's record, which any other device or `blindPeer` holds.
   */
  phrase?: string
  /** With `phrase`: the blind peer that keeps the person's record (`config.blindPeer` elsewhere). */
  blindPeer?: string
  /** A link code from `linkDevice()` on another device: this device joins that profile. */
  link?: string
  /**
   * How long linking may wait for the other device (default 60 s: JOIN_TIMEOUT after), or a
   * restore for the person's record (default 30 s: the profile is restored either way, and the
   * rooms follow whenever a device or blind peer that has them is reached).
   */
  timeoutMs?: number
}

/** One device of this profile, as the rooms know it. */
export interface Device {
  /** The device's public key, z32; the profile id itself for the device it was made on before devices. */
  id: string
  /** This device. */
  current: boolean
  /** When the identity first vouched for it (ms; 0 before devices). */
  linkedAt: number
  /** Its newest write seen in any room (ms, its own clock), null when none. */
  lastSeen: number | null
  /** Unlinked: every room ignores its later writes. */
  revoked: boolean
  /** In how many of this device's rooms it is a writer. */
  rooms: number
}

export interface DeviceLink {
  /** Single use; give it to `init({ link })` / `roost init --link` on the new device. */
  code: string
  expires: number
}

export interface LinkDeviceOptions {
  /** How long the code works (default 10 minutes). */
  expiresInMs?: number
}

export interface RoostApi {
  profile(): Promise<Profile | null>
  /**
   * Creates the profile from a fresh 24-word recovery phrase, or with `phrase`, restores the
   * profile those words stand for (the same id). PHRASE_INVALID for anything else; nothing is
   * written then.
   */
  init(opts: InitOptions): Promise<Profile>
  /** The profile's recovery phrase; NO_PHRASE for a profile made before phrases. */
  phrase(): Promise<string>
  /** This profile's devices, from every room's view, this one first. */
  devices(): Promise<Device[]>
  /** A single-use code another device links with (`init({ link })`). */
  linkDevice(opts?: LinkDeviceOptions): Promise<DeviceLink>
  /** Unlinks a device in every room this device can write to; DEVICE_NOT_FOUND for a stranger. */
  unlinkDevice(id: string): Promise<void>
  setName(name: string): Promise<Profile>

  rooms(): Promise<Room[]>
  room(room: RoomId): Promise<Room>
  createRoom(opts: CreateRoomOptions): Promise<Room>
  leaveRoom(room: RoomId): Promise<void>
  setRoomInfo(room: RoomId, info: RoomInfoUpdate): Promise<Room>
  setRoomNotify(room: RoomId, level: NotifyLevel): Promise<Room>
  setRoomAutoDownload(room: RoomId, on: boolean): Promise<Room>

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

  /** Seals and stores the file on this device, then sends its message; streams, any size. */
  sendFile(room: RoomId, opts: SendFileOptions): Promise<Message>
  /**
   * Stops the send of a file under way (SendFileOptions.upload): its sendFile fails with
   * SEND_CANCELLED, and what it had stored is cleared. `staged` drops that staged upload too.
   * False when no such send is under way (it finished, or never began).
   */
  cancelSend(room: RoomId, upload: string, staged?: string): Promise<boolean>
  /** Appends a chunk to a staged upload; returns its token and the bytes staged so far. */
  stageUpload(opts: StageUploadOptions): Promise<{ staged: string; bytes: number }>
  /** The room's files, newest first, with where each stands on this device. */
  files(room: RoomId): Promise<FileTransfer[]>
  fileTransfer(room: RoomId, id: MessageId): Promise<FileTransfer>
  /**
   * Fetches, checks and saves the file (resuming whatever arrived before); resolves once it is
   * done, with its path. Progress arrives as onDidChangeFileTransfer events.
   */
  download(room: RoomId, id: MessageId, opts?: DownloadOptions): Promise<FileTransfer>
  cancelDownload(room: RoomId, id: MessageId): Promise<FileTransfer>

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
  onDidChangeFileTransfer(listener: Listener<FileTransferEvent>): Unsubscribe
  onDidProgressSend(listener: Listener<FileSendProgress>): Unsubscribe
  onDidChangeDevices(listener: Listener<DevicesEvent>): Unsubscribe
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
  onDidChangeFileTransfer: FileTransferEvent
  onDidProgressSend: FileSendProgress
  onDidChangeDevices: DevicesEvent
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
  'onDidChangeMessage',
  'onDidChangeFileTransfer',
  'onDidProgressSend',
  'onDidChangeDevices'
]

export type MethodName = Exclude<keyof RoostApi, EventName>

export const API_METHODS: readonly MethodName[] = [
  'profile',
  'init',
  'phrase',
  'devices',
  'linkDevice',
  'unlinkDevice',
  'setName',
  'rooms',
  'room',
  'createRoom',
  'leaveRoom',
  'setRoomInfo',
  'setRoomNotify',
  'setRoomAutoDownload',
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
  'sendFile',
  'cancelSend',
  'stageUpload',
  'files',
  'fileTransfer',
  'download',
  'cancelDownload',
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
/** A device link code is shown with this prefix, so it is never taken for a room invite. */
export const DEVICE_LINK_PREFIX = 'roost://link/'
