import { RoostError, type ErrorCode } from '../../shared/api/errors.js'
import type { ErrorInfo } from '../state/types'

/** What to tell a person, per code; codes not listed keep the core's own message. */
const HUMAN: Partial<Record<ErrorCode, string>> = {
  PHRASE_INVALID:
    'Those are not the 24 words of a recovery phrase. Check each word and their order.',
  NO_PHRASE:
    'This profile was made before recovery phrases, so it has none: keep a copy of its data folder instead.',
  NO_IDENTITY_SECRET:
    'This device was linked from another one, so it does not hold your recovery phrase: the 24 words are kept on the device that made your profile.',
  LINK_INVALID:
    'That is not a device link code. On a device you already use, open Settings → Link a device, and copy the whole roost://link/ code it shows.',
  LINK_EXPIRED: 'That link code has expired. Make a new one in Settings on your other device.',
  LINK_USED: 'That link code was already used. Make a new one in Settings on your other device.',
  DEVICE_NOT_FOUND: 'That device is not one of this profile’s devices (any more).',
  INVITE_INVALID:
    'That is not a Roost invite. Check that you copied the whole code or roost://invite/ link.',
  INVITE_EXPIRED: 'This invite has expired. Ask someone in the room for a new one.',
  INVITE_USED: 'This invite has already been used up. Ask someone in the room for a new one.',
  INVITE_REVOKED: 'An admin of the room revoked this invite. Ask for a new one.',
  JOIN_TIMEOUT:
    'No admin of the room answered in time. An admin has to be online to let you in: try again when one is.',
  NOT_ADMIN: 'Only an admin of this room can do that.',
  NOT_WRITABLE:
    'You cannot write in this room yet (or any more). If you just joined, wait for an admin’s device to sync.',
  LAST_ADMIN: 'The room needs at least one admin: make someone else an admin first.',
  ROOM_NOT_FOUND: 'That room is not on this device any more.',
  RPC_DISCONNECTED: 'The connection to Roost was lost.',
  CLOSED: 'Roost is shutting down.',
  ALREADY_INITIALIZED: 'This device already has a profile.',
  ALREADY_MEMBER: 'You are already in this room.',
  MEMBER_REMOVED:
    'An admin removed you from this room. Only an invite made for you by an admin lets you back in.',
  DISK_FULL:
    'The disk is full, so this was not saved. Nothing saved before is lost: free some space, then restart Roost.',
  NO_ROOM_KEY:
    'The room’s current key has not reached this device yet. It arrives when an admin’s device is online.'
}

export function errorInfo(err: unknown): ErrorInfo {
  const error = RoostError.from(err)
  const human = HUMAN[error.code]
  if (human !== undefined) return { code: error.code, message: human }
  if (error.code === 'INTERNAL') {
    return { code: error.code, message: 'Something went wrong: ' + error.message }
  }
  return { code: error.code, message: error.message }
}

export function uiError(message: string): ErrorInfo {
  return { code: 'UI', message }
}
