import type { Room } from '../rooms/room.js'
import { diskFullOr } from '../storage/disk-full.js'

/**
 * A failed write as the API reports it. A full disk fails RocksDB's batch inside autobase,
 * which closes the room's base and leaves the error as its last one; the append itself may
 * only say that autobase is closing.
 */
export function writeError(room: Room, err: unknown, dataDir: string): unknown {
  const mapped = diskFullOr(err, dataDir)
  if (mapped !== err) return mapped
  const last = (room.base as { getLastError?: () => unknown }).getLastError?.() ?? null
  if (last === null) return err
  const fromLast = diskFullOr(last, dataDir)
  return fromLast === last ? err : fromLast
}
