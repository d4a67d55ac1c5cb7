import type { Room, RoomId } from '../../shared/api/contract.js'

function activity(room: Room): number {
  return room.lastMessage?.timestamp ?? 0
}

/** Most recent activity first; rooms without messages by name. */
export function sortRooms(rooms: Record<RoomId, Room>): Room[] {
  return Object.values(rooms).sort(
    (a, b) => activity(b) - activity(a) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id)
  )
}

/** The dock badge: unread messages in every room that is not muted. */
export function totalUnread(rooms: Record<RoomId, Room>): number {
  let total = 0
  for (const room of Object.values(rooms)) if (room.notify !== 'none') total += room.unread
  return total
}

export function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record
  const copy = { ...record }
  delete copy[key]
  return copy
}
