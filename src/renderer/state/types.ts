import type {
  Config,
  Device,
  DeviceLink,
  FileTransfer,
  Invite,
  Member,
  Message,
  Profile,
  Room,
  RoomId,
  RosterChange
} from '../../shared/api/contract.js'
import type { ErrorCode } from '../../shared/api/errors.js'

export type Theme = 'light' | 'dark' | 'system'

/** A failure in words, with the code it came with (for tests and for choosing what to say). */
export interface ErrorInfo {
  code: ErrorCode | 'UI'
  message: string
}

export type Phase =
  | { kind: 'connecting' }
  | { kind: 'ready' }
  | { kind: 'failed'; title: string; message: string; command: string | null }

export interface TimelineState {
  /** Oldest first, as loaded so far: the newest page plus whatever older pages were scrolled to. */
  messages: Message[]
  hasMore: boolean
  loading: boolean
  error: ErrorInfo | null
}

export interface InviteDialogState {
  kind: 'invite'
  room: RoomId
  invites: Invite[] | null
  created: Invite | null
  busy: boolean
  error: ErrorInfo | null
}

export interface JoinDialogState {
  kind: 'join'
  /** Prefill, from a deep link. */
  initialCode: string
  busy: boolean
  startedAt: number | null
  error: ErrorInfo | null
  /** The invite was to a room this profile is in already: its name. */
  alreadyIn: string | null
}

export interface FormDialogState {
  kind: 'create-room' | 'settings'
  busy: boolean
  error: ErrorInfo | null
}

/** A dialog about one room, opened from its room menu. */
export interface RoomDialogState {
  kind: 'room-info' | 'leave-room'
  room: RoomId
  busy: boolean
  error: ErrorInfo | null
}

/** The dialogs with a busy flag and an error line. */
export type BusyDialogKind = FormDialogState['kind'] | RoomDialogState['kind']

export interface SwitcherDialogState {
  kind: 'switcher'
}

/** "Delete this message for everyone?" */
export interface DeleteMessageDialogState {
  kind: 'delete-message'
  room: RoomId
  message: Message
  busy: boolean
  error: ErrorInfo | null
}

export type DialogState =
  | InviteDialogState
  | JoinDialogState
  | FormDialogState
  | RoomDialogState
  | SwitcherDialogState
  | DeleteMessageDialogState

/** What the composer of a room is doing besides writing a new message. */
export interface ComposingState {
  mode: 'reply' | 'edit'
  message: Message
  /** Edit: what the composer held before it took the message's text (it comes back after). */
  draftBefore: string | null
}

/** The search panel: in the open room, or (room null) in every room. */
export interface SearchState {
  room: RoomId | null
  query: string
  results: Message[] | null
  busy: boolean
  error: ErrorInfo | null
}

/** A message to bring into view and mark, once the timeline holds it. */
export interface JumpState {
  room: RoomId
  id: string
  /** Bumped for every jump, so jumping to the same message again scrolls again. */
  request: number
}

/** A file picked, pasted or dropped into the composer, sent with the next message. */
export interface Attachment {
  id: number
  file: File
  /** The image's preview and size, once measured (null: no image, or not measured yet). */
  thumbnail: string | null
  width: number | null
  height: number | null
}

/** A file on its way into the room: its bytes going to the core, then sealed and stored there. */
export interface OutgoingFile {
  /** The token its onDidProgressSend events carry. */
  upload: string
  name: string
  size: number
  phase: 'uploading' | 'sealing'
  bytes: number
}

/** The image viewer: one image message of a room, full size. */
export interface ViewerState {
  room: RoomId
  id: string
}

/** Settings → Devices, while Settings is open. */
export interface DevicesState {
  /** This profile's devices, this one first; null until read. */
  list: Device[] | null
  /** The link code made last, while it can still be used. */
  link: DeviceLink | null
  /** A device finished linking with the code that was shown (it is used up). */
  linked: boolean
  /** A link code is being made. */
  linking: boolean
  /** The device being unlinked now. */
  unlinking: string | null
  error: ErrorInfo | null
}

export interface Toast {
  id: number
  error: ErrorInfo
}

export interface AppState {
  phase: Phase
  /** undefined until the core has answered profile(). */
  profile: Profile | null | undefined
  /** `phrase`: a new profile's words, shown once until the person has written them down. */
  onboarding: { busy: boolean; error: ErrorInfo | null; phrase: string | null }
  rooms: Record<RoomId, Room>
  roomsLoaded: boolean
  activeRoom: RoomId | null
  timelines: Record<RoomId, TimelineState>
  /** The roster lines ("Bob joined") of each loaded timeline, oldest first. */
  rosterLines: Record<RoomId, RosterChange[]>
  members: Record<RoomId, Member[]>
  drafts: Record<RoomId, string>
  config: Config | null
  theme: Theme
  dialog: DialogState | null
  membersOpen: boolean
  /** The pinned-messages panel of the open room (null: closed; the list once read). */
  pins: { room: RoomId; messages: Message[] | null; error: ErrorInfo | null } | null
  search: SearchState | null
  composing: Record<RoomId, ComposingState | null>
  jump: JumpState | null
  /** Wide windows: the room list is folded away (kept across starts). */
  sidebarCollapsed: boolean
  /** Narrow windows (one pane): the room list shows instead of the open room. */
  roomListShown: boolean
  /** The timeline shows its newest message (so new messages count as read). */
  atBottom: boolean
  /** The page is visible (not a background tab or minimized window). */
  visible: boolean
  /** Bumped to bring the timeline to its newest message (after sending). */
  scrollRequest: number
  toasts: Toast[]
  /** Per room, the files the composer will send with the next message. */
  attachments: Record<RoomId, Attachment[]>
  /** Per room, the files being sent now. */
  outgoing: Record<RoomId, OutgoingFile[]>
  /** Per room, where each file message (by id) stands on this device, as far as read. */
  transfers: Record<RoomId, Record<string, FileTransfer>>
  /** In a browser: the page's link to each file its core has saved, by `room/message`. */
  fileUrls: Record<string, string>
  /**
   * Images this page sent, as data: URLs of their bytes, by `room/message` (the newest few): the
   * sender sees the full image at once, though its core saved no copy to link to.
   */
  sentImages: Record<string, string>
  viewer: ViewerState | null
  /** Settings → Devices (null while Settings is closed). */
  devices: DevicesState | null
}
