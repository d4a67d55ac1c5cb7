import b4a from 'b4a'
import { MAX_NAME_CHARS } from '../../shared/api/errors.js'
import { MAX_ATTESTATION_BYTES } from '../identity/identity-key.js'
import { isMessageId } from '../rooms/message-id.js'

/**
 * The ops of the person's own record (personal-record.ts). Only the person's own devices can
 * write it, but a device can be stolen and a record can be damaged, so apply() bounds every
 * field as a room's apply does, and skips what does not fit. The record is small and private:
 * its ops are canonical JSON, checked field by field, not a hyperschema of their own.
 */
export type NotifyLevel = 'all' | 'mentions' | 'none'

export type RecordOp =
  /** A device adds its own writer: the identity's binding of (record, writer). */
  | { t: 'writer'; binding: string }
  | { t: 'room'; room: string; encryptionKey: string; joinedAt: number }
  | { t: 'leave'; room: string; at: number }
  | { t: 'settings'; room: string; notify?: NotifyLevel; autoDownload?: boolean }
  /** The newest message read in a room, with its position there (kept only when it moves on). */
  | { t: 'read'; room: string; id: string; seq: number }
  | { t: 'name'; name: string }
  /**
   * A room's epoch key sealed to the identity, so a device restored from the phrase reads the
   * history; a linked device (no identity secret) cannot open it, so unlinking one still cuts it
   * off from later epochs.
   */
  | { t: 'epoch'; room: string; id: string; box: string }
  | { t: 'config'; blindPeer: string | null }
  /** An unlinked device: its record writers are removed, its later ops ignored. */
  | { t: 'revoke'; device: string }

/** An op bigger than this is skipped before it is parsed. */
export const MAX_RECORD_OP_BYTES = 8 * 1024

const Z32_KEY = /^[ybndrfg8ejkmcpqxot1uwisza345h769]{52}$/
const HEX_32 = /^[0-9a-f]{64}$/
/** An epoch key sealed with crypto_box_seal: 32 + 48 bytes. */
const HEX_SEALED_KEY = /^[0-9a-f]{160}$/
const HEX_EPOCH_ID = /^[0-9a-f]{16,64}$/
const LEVELS: readonly string[] = ['all', 'mentions', 'none']

export function encodeRecordOp(op: RecordOp): Buffer {
  return b4a.from(JSON.stringify(op))
}

/** The op a block holds, or null for anything that is not exactly one (never throws). */
export function decodeRecordOp(block: unknown): RecordOp | null {
  if (!b4a.isBuffer(block) || block.byteLength > MAX_RECORD_OP_BYTES) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(b4a.toString(block))
  } catch {
    return null
  }
  const op = checked(parsed)
  // one spelling per op: what decodes must encode to the same bytes
  return op !== null && b4a.equals(encodeRecordOp(op), block) ? op : null
}

function checked(value: unknown): RecordOp | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const v = value as Record<string, unknown>
  switch (v.t) {
    case 'writer':
      return isHexUpTo(v.binding, MAX_ATTESTATION_BYTES)
        ? { t: 'writer', binding: v.binding }
        : null
    case 'room':
      return isRoom(v.room) && isHex32(v.encryptionKey) && isTime(v.joinedAt)
        ? { t: 'room', room: v.room, encryptionKey: v.encryptionKey, joinedAt: v.joinedAt }
        : null
    case 'leave':
      return isRoom(v.room) && isTime(v.at) ? { t: 'leave', room: v.room, at: v.at } : null
    case 'settings': {
      if (!isRoom(v.room)) return null
      if (v.notify !== undefined && !LEVELS.includes(v.notify as string)) return null
      if (v.autoDownload !== undefined && typeof v.autoDownload !== 'boolean') return null
      return {
        t: 'settings',
        room: v.room,
        ...(v.notify === undefined ? {} : { notify: v.notify as NotifyLevel }),
        ...(v.autoDownload === undefined ? {} : { autoDownload: v.autoDownload })
      }
    }
    case 'read':
      return isRoom(v.room) && typeof v.id === 'string' && isMessageId(v.id) && isTime(v.seq)
        ? { t: 'read', room: v.room, id: v.id, seq: v.seq }
        : null
    case 'name':
      return typeof v.name === 'string' && isName(v.name) ? { t: 'name', name: v.name } : null
    case 'epoch':
      return isRoom(v.room) &&
        typeof v.id === 'string' &&
        HEX_EPOCH_ID.test(v.id) &&
        v.id.length % 2 === 0 &&
        typeof v.box === 'string' &&
        HEX_SEALED_KEY.test(v.box)
        ? { t: 'epoch', room: v.room, id: v.id, box: v.box }
        : null
    case 'revoke':
      return isHex32(v.device) ? { t: 'revoke', device: v.device } : null
    case 'config':
      return v.blindPeer === null || isRoom(v.blindPeer)
        ? { t: 'config', blindPeer: v.blindPeer }
        : null
    default:
      return null
  }
}

function isRoom(value: unknown): value is string {
  return typeof value === 'string' && Z32_KEY.test(value)
}

function isHex32(value: unknown): value is string {
  return typeof value === 'string' && HEX_32.test(value)
}

function isHexUpTo(value: unknown, bytes: number): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= bytes * 2 &&
    value.length % 2 === 0 &&
    /^[0-9a-f]+$/.test(value)
  )
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function isName(name: string): boolean {
  const trimmed = name.trim()
  return trimmed.length > 0 && trimmed === name && [...name].length <= MAX_NAME_CHARS
}
