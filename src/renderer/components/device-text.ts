import type { Device } from '../../shared/api/contract.js'
import { formatDateTime, validDate } from '../util/format'

const MINUTE = 60 * 1000
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

function count(amount: number, unit: string): string {
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`
}

/**
 * "just now", "5 minutes ago", "3 hours ago", "2 days ago", else the date. A time ahead of this
 * clock (the other device's clock is its own) is "just now"; no time at all is "at an unknown time".
 */
export function timeAgo(ts: unknown, now = Date.now()): string {
  const date = validDate(ts)
  if (date === null) return 'at an unknown time'
  const ms = now - date.getTime()
  if (ms < MINUTE) return 'just now'
  if (ms < HOUR) return count(Math.floor(ms / MINUTE), 'minute') + ' ago'
  if (ms < DAY) return count(Math.floor(ms / HOUR), 'hour') + ' ago'
  if (ms < 30 * DAY) return count(Math.floor(ms / DAY), 'day') + ' ago'
  return 'on ' + formatDateTime(ts)
}

/** "linked 3 Jul 2025, 14:02"; null when the rooms do not say (0: from before devices). */
export function describeLinked(device: Device): string | null {
  if (device.linkedAt === 0 || validDate(device.linkedAt) === null) return null
  return 'linked ' + formatDateTime(device.linkedAt)
}

export function describeLastSeen(device: Device, now = Date.now()): string {
  return device.lastSeen === null ? 'never seen' : 'last seen ' + timeAgo(device.lastSeen, now)
}

export function describeRooms(device: Device): string {
  const rooms = Number.isInteger(device.rooms) && device.rooms > 0 ? device.rooms : 0
  return rooms === 0 ? 'in no rooms' : `in ${count(rooms, 'room')}`
}

/** A device's key, short enough for a row: the start of its z32 (the whole one is its tooltip). */
export function shortDeviceId(id: unknown): string {
  return typeof id === 'string' ? id.slice(0, 8) : '?'
}
