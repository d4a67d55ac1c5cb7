/** Every error that crosses the API carries one of these codes, unchanged over every transport. */
export const ERROR_CODES = [
  'NOT_INITIALIZED',
  'ALREADY_INITIALIZED',
  'INVALID_ARGUMENT',
  'ROOM_NOT_FOUND',
  'ROOM_AMBIGUOUS',
  'MESSAGE_NOT_FOUND',
  'MESSAGE_TOO_LARGE',
  'NAME_TOO_LONG',
  'NOT_ADMIN',
  'NOT_WRITABLE',
  'MEMBER_NOT_FOUND',
  'LAST_ADMIN',
  'INVITE_INVALID',
  'INVITE_EXPIRED',
  'INVITE_USED',
  'INVITE_REVOKED',
  'INVITE_NOT_FOUND',
  'JOIN_TIMEOUT',
  'ALREADY_MEMBER',
  'DATA_DIR_IN_USE',
  'BLIND_PEER_KEY_INVALID',
  'MIRROR_NOT_FOUND',
  'CLOSED',
  'RPC_INVALID_FRAME',
  'RPC_UNKNOWN_METHOD',
  'RPC_DISCONNECTED',
  'INTERNAL',
  'MEMBER_REMOVED',
  'NO_ROOM_KEY',
  'DATA_FILE_CORRUPT',
  'CONTROL_SOCKET_UNSAFE',
  'DISK_FULL',
  'NOT_AUTHOR',
  'MESSAGE_DELETED',
  'FILE_NOT_FOUND',
  'FILE_IS_DIRECTORY',
  'FILE_UNREADABLE',
  'FILE_HASH_MISMATCH',
  'NOT_A_FILE',
  'DOWNLOAD_CANCELLED',
  'UPLOAD_NOT_FOUND',
  'SEND_CANCELLED',
  'PHRASE_INVALID',
  'NO_PHRASE',
  'NO_IDENTITY_SECRET',
  'LINK_INVALID',
  'LINK_EXPIRED',
  'LINK_USED',
  'DEVICE_NOT_FOUND'
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export interface WireError {
  code: ErrorCode
  message: string
}

export const MAX_MESSAGE_BYTES = 64 * 1024
export const MAX_NAME_CHARS = 64
export const MAX_TOPIC_CHARS = 512
export const MAX_INVITE_NOTE_CHARS = 100
export const MAX_ROSTER_CHANGES_PAGE = 500
/** Files a room's blind peers keep, unless its admins set another cap: 256 MiB. */
export const DEFAULT_MIRROR_FILE_CAP = 256 * 1024 * 1024
/** A file message's thumbnail, in bytes. */
export const MAX_THUMBNAIL_BYTES = 16 * 1024
/** One stageUpload chunk, in decoded bytes. */
export const MAX_UPLOAD_CHUNK_BYTES = 512 * 1024

export class RoostError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string) {
    super(message)
    this.name = 'RoostError'
    this.code = code
  }

  toWire(): WireError {
    return { code: this.code, message: this.message }
  }

  static fromWire(value: unknown): RoostError {
    if (typeof value === 'object' && value !== null) {
      const { code, message } = value as Record<string, unknown>
      if (isErrorCode(code) && typeof message === 'string') return new RoostError(code, message)
    }
    return new RoostError('INTERNAL', 'Malformed error from the other side')
  }

  /** Any thrown value as a RoostError; unknown errors become INTERNAL with their message. */
  static from(err: unknown): RoostError {
    if (err instanceof RoostError) return err
    const message = err instanceof Error ? err.message : String(err)
    return new RoostError('INTERNAL', message)
  }

  static notInitialized() {
    return new RoostError('NOT_INITIALIZED', 'No profile yet: run init with a name first')
  }
  static alreadyInitialized() {
    return new RoostError('ALREADY_INITIALIZED', 'This data directory already has a profile')
  }
  static invalidArgument(message: string) {
    return new RoostError('INVALID_ARGUMENT', message)
  }
  static roomNotFound(ref: string) {
    return new RoostError('ROOM_NOT_FOUND', `No room matches "${ref}"`)
  }
  static roomAmbiguous(ref: string) {
    return new RoostError('ROOM_AMBIGUOUS', `More than one room is named "${ref}": use its key`)
  }
  static messageNotFound(id: string) {
    return new RoostError('MESSAGE_NOT_FOUND', `No message with id ${id}`)
  }
  static messageTooLarge(bytes: number) {
    return new RoostError(
      'MESSAGE_TOO_LARGE',
      `Message is ${bytes} bytes; the limit is ${MAX_MESSAGE_BYTES} bytes (64 KiB)`
    )
  }
  static nameTooLong(what: string, max: number) {
    return new RoostError('NAME_TOO_LONG', `${what} is longer than ${max} characters`)
  }
  static notAuthor() {
    return new RoostError('NOT_AUTHOR', 'Only its author can edit this message')
  }

  static messageDeleted(id: string) {
    return new RoostError('MESSAGE_DELETED', `Message ${id} was deleted`)
  }

  static notAdmin() {
    return new RoostError('NOT_ADMIN', 'Only a room admin can do that')
  }
  static memberRemoved() {
    return new RoostError(
      'MEMBER_REMOVED',
      'An admin removed you from this room: only an invite made for you (invite --for) lets you back in'
    )
  }
  static noRoomKey() {
    return new RoostError(
      'NO_ROOM_KEY',
      "The room's current key has not reached this device yet: an admin's device seals it to you when it is online"
    )
  }
  static notWritable() {
    return new RoostError('NOT_WRITABLE', 'You are not (or no longer) a member who can write here')
  }
  static memberNotFound(profile: string) {
    return new RoostError('MEMBER_NOT_FOUND', `No member ${profile} in this room`)
  }
  static lastAdmin() {
    return new RoostError('LAST_ADMIN', 'The room would have no admin left')
  }
  static inviteInvalid(detail?: string) {
    return new RoostError(
      'INVITE_INVALID',
      'That is not a valid Roost invite' + (detail ? ` (${detail})` : '')
    )
  }
  static inviteExpired() {
    return new RoostError('INVITE_EXPIRED', 'This invite has expired: ask for a new one')
  }
  static inviteUsed() {
    return new RoostError('INVITE_USED', 'This invite has been used up: ask for a new one')
  }
  static inviteRevoked() {
    return new RoostError('INVITE_REVOKED', 'This invite was revoked by an admin')
  }
  static inviteNotFound(id: string) {
    return new RoostError('INVITE_NOT_FOUND', `No invite ${id} in this room`)
  }
  static joinTimeout(ms: number) {
    return new RoostError(
      'JOIN_TIMEOUT',
      `No admin of the room answered within ${Math.round(ms / 1000)} s: an admin must be online to let you in; try again later`
    )
  }
  static linkTimeout(ms: number) {
    return new RoostError(
      'JOIN_TIMEOUT',
      `The device that made the link code did not finish linking within ${Math.round(ms / 1000)} s: keep \`roost link\` or the app open on it, and try again`
    )
  }
  static alreadyMember() {
    return new RoostError('ALREADY_MEMBER', 'You are already in this room')
  }
  static dataDirInUse(dir: string, detail?: string) {
    return new RoostError(
      'DATA_DIR_IN_USE',
      `Another Roost process is using ${dir}` + (detail ? `: ${detail}` : '')
    )
  }
  static controlSocketUnsafe(where: string) {
    return new RoostError(
      'CONTROL_SOCKET_UNSAFE',
      `${where} is not a control socket (or dir) owned by you and closed to others: Roost will not talk through it`
    )
  }
  static controlSocketPathTooLong(socketPath: string) {
    return new RoostError(
      'CONTROL_SOCKET_UNSAFE',
      `The control socket path ${socketPath} is too long: set XDG_RUNTIME_DIR or use a shorter data dir`
    )
  }
  static blindPeerKeyInvalid(key: string) {
    return new RoostError(
      'BLIND_PEER_KEY_INVALID',
      `"${key}" is not a blind peer key: it is the z32 key roost-blind-peer prints when it starts`
    )
  }
  static mirrorNotFound(key: string) {
    return new RoostError('MIRROR_NOT_FOUND', `${key} does not mirror this room`)
  }
  static dataFileCorrupt(file: string, problem: string, recovery?: string) {
    const how = recovery ?? 'restore it from a backup, or move it aside to start it afresh'
    return new RoostError('DATA_FILE_CORRUPT', `${file} ${problem}: ${how}`)
  }
  static fileNotFound(path: string): RoostError {
    return new RoostError('FILE_NOT_FOUND', `No file at ${path}`)
  }

  static fileIsDirectory(path: string): RoostError {
    return new RoostError('FILE_IS_DIRECTORY', `${path} is a folder, not a file`)
  }

  static fileUnreadable(path: string, why: string): RoostError {
    return new RoostError('FILE_UNREADABLE', `Cannot read ${path}: ${why}`)
  }

  static fileHashMismatch(name: string): RoostError {
    return new RoostError(
      'FILE_HASH_MISMATCH',
      `${name} arrived different from what its sender sent (its hash does not match): nothing was saved`
    )
  }

  static notAFile(id: string): RoostError {
    return new RoostError('NOT_A_FILE', `Message ${id} carries no file this device can read`)
  }

  static downloadCancelled(name: string): RoostError {
    return new RoostError('DOWNLOAD_CANCELLED', `The download of ${name} was cancelled`)
  }

  static sendCancelled(name: string): RoostError {
    return new RoostError('SEND_CANCELLED', `The send of ${name} was cancelled`)
  }

  static uploadNotFound(token: string): RoostError {
    return new RoostError(
      'UPLOAD_NOT_FOUND',
      `No staged upload ${token} (it was sent or it expired)`
    )
  }

  static noPhrase() {
    return new RoostError(
      'NO_PHRASE',
      'This profile was made before recovery phrases: back up its data dir (profile.json) instead'
    )
  }

  static phraseInvalid() {
    return new RoostError(
      'PHRASE_INVALID',
      'That is not a recovery phrase: it is 24 words from the BIP-39 English list, in order'
    )
  }

  static noIdentitySecret() {
    return new RoostError(
      'NO_IDENTITY_SECRET',
      'This device was linked from another and does not hold the recovery phrase: do it on a device that does, or restore the phrase here'
    )
  }

  static linkInvalid(detail?: string) {
    return new RoostError(
      'LINK_INVALID',
      'That is not a device link code' +
        (detail === undefined ? '' : ` (${detail})`) +
        ': make one with `roost link` (Settings → Link a device) on a device you already use'
    )
  }

  static linkExpired() {
    return new RoostError('LINK_EXPIRED', 'That link code has expired: make a new one')
  }

  static linkUsed() {
    return new RoostError('LINK_USED', 'That link code was already used: make a new one')
  }

  static deviceNotFound(id: string) {
    return new RoostError('DEVICE_NOT_FOUND', `No device ${id} of this profile`)
  }

  static closed() {
    return new RoostError('CLOSED', 'Roost is shutting down')
  }
  static diskFull(where?: string) {
    return new RoostError(
      'DISK_FULL',
      `The disk${where === undefined ? '' : ` holding ${where}`} is full: free some space, then restart Roost (everything saved before is kept)`
    )
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value)
}
