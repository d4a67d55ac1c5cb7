import path from 'path'
import { RoostError } from '../../shared/api/errors.js'
import { readJsonFile, writeJsonFile } from '../storage/json-file.js'

/** What this device keeps of an invite it made; never written to the room. */
export interface KeptInvite {
  /** The secret a joiner needs; null once the invite was revoked. */
  code: string | null
  note: string | null
}

type RoomInvites = Record<string, KeptInvite>

const RECOVERY =
  'restore it from a backup, or move it aside: only the codes and notes of invites you made are lost (the invites still work)'

/**
 * The codes and notes of the invites this device made, per room and invite id (z32), in
 * invites.json (mode 0600, written atomically, like the room keys in rooms.json). Read on first
 * use, so a damaged file fails only the invite verbs and is never overwritten.
 */
export class InviteCodeStore {
  readonly file: string
  private _rooms: Map<string, RoomInvites> | null

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'invites.json')
    this._rooms = null
  }

  async get(room: string, id: string): Promise<KeptInvite | null> {
    return (await this._load()).get(room)?.[id] ?? null
  }

  /** Every invite of `room` this device made, by id. */
  async room(room: string): Promise<RoomInvites> {
    return { ...(await this._load()).get(room) }
  }

  async put(room: string, id: string, kept: KeptInvite): Promise<void> {
    const rooms = await this._load()
    rooms.set(room, { ...rooms.get(room), [id]: kept })
    await this._save(rooms)
  }

  /** Forgets the code of a revoked invite; its note stays to label it. */
  async dropCode(room: string, id: string): Promise<void> {
    const kept = await this.get(room, id)
    if (kept === null || kept.code === null) return
    await this.put(room, id, { ...kept, code: null })
  }

  async deleteRoom(room: string): Promise<void> {
    const rooms = await this._load()
    if (!rooms.delete(room)) return
    await this._save(rooms)
  }

  private async _load(): Promise<Map<string, RoomInvites>> {
    if (this._rooms !== null) return this._rooms
    const raw = (await readJsonFile(this.file, RECOVERY)) as { rooms?: unknown } | null
    const rooms = new Map<string, RoomInvites>()
    if (raw !== null) {
      if (typeof raw !== 'object' || !isRecord(raw.rooms)) {
        throw RoostError.dataFileCorrupt(this.file, 'is not a list of invites', RECOVERY)
      }
      for (const [room, invites] of Object.entries(raw.rooms)) {
        if (!isRecord(invites) || !Object.values(invites).every(isKeptInvite)) {
          throw RoostError.dataFileCorrupt(this.file, `has a malformed entry for ${room}`, RECOVERY)
        }
        rooms.set(room, invites as RoomInvites)
      }
    }
    this._rooms = rooms
    return rooms
  }

  private _save(rooms: Map<string, RoomInvites>): Promise<void> {
    return writeJsonFile(this.file, { version: 1, rooms: Object.fromEntries(rooms) })
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isKeptInvite(value: unknown): value is KeptInvite {
  if (!isRecord(value)) return false
  return (
    (value.code === null || typeof value.code === 'string') &&
    (value.note === null || typeof value.note === 'string')
  )
}
