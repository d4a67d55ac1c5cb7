import path from 'path'
import { RoostError } from '../../shared/api/errors.js'
import { readJsonFile, writeJsonFile } from '../storage/json-file.js'
import { openSealedText, sealText } from '../storage/sealed-text.js'

/** What this device keeps of an invite it made; never written to the room. */
export interface KeptInvite {
  /** The secret a joiner needs; null once the invite was revoked. */
  code: string | null
  note: string | null
}

type RoomInvites = Record<string, KeptInvite>

/** An invite as invites.json holds it: the code sealed (version 2) or plain (version 1). */
interface FileInvite {
  sealedCode?: string | null
  code?: string | null
  note: string | null
}

const RECOVERY =
  'restore it from a backup, or move it aside: only the codes and notes of invites you made are lost (the invites still work)'

/**
 * The codes and notes of the invites this device made, per room and invite id (z32), in
 * invites.json (mode 0600, written atomically, like the room keys in rooms.json). Each code is
 * sealed with a key only this identity derives, so the file alone (a backup, a synced folder)
 * admits nobody. Read on first use, so a damaged file fails only the invite verbs and is never
 * overwritten; a version 1 file (plain codes) is sealed when first read.
 */
export class InviteCodeStore {
  readonly file: string
  private _rooms: Map<string, RoomInvites> | null
  private _key: () => Buffer

  /** `key`: the 32-byte sealing key, asked for on first use (an identity exists by then). */
  constructor(dataDir: string, key: () => Buffer) {
    this.file = path.join(dataDir, 'invites.json')
    this._rooms = null
    this._key = key
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
    const raw = (await readJsonFile(this.file, RECOVERY)) as {
      version?: unknown
      rooms?: unknown
    } | null
    const rooms = new Map<string, RoomInvites>()
    if (raw !== null) {
      if (typeof raw !== 'object' || !isRecord(raw.rooms)) {
        throw RoostError.dataFileCorrupt(this.file, 'is not a list of invites', RECOVERY)
      }
      const sealed = raw.version !== 1
      for (const [room, invites] of Object.entries(raw.rooms)) {
        const malformed = RoostError.dataFileCorrupt(
          this.file,
          `has a malformed entry for ${room}`,
          RECOVERY
        )
        if (!isRecord(invites)) throw malformed
        const kept: RoomInvites = {}
        for (const [id, invite] of Object.entries(invites)) {
          const opened = isFileInvite(invite, sealed) ? this._open(invite) : undefined
          if (opened === undefined) throw malformed
          kept[id] = opened
        }
        rooms.set(room, kept)
      }
      if (!sealed) await this._save(rooms)
    }
    this._rooms = rooms
    return rooms
  }

  /** Undefined for a sealed code this identity cannot open (another identity's, or changed). */
  private _open(invite: FileInvite): KeptInvite | undefined {
    if (invite.sealedCode === undefined) return { code: invite.code ?? null, note: invite.note }
    if (invite.sealedCode === null) return { code: null, note: invite.note }
    const code = openSealedText(invite.sealedCode, this._key())
    return code === null ? undefined : { code, note: invite.note }
  }

  private _save(rooms: Map<string, RoomInvites>): Promise<void> {
    const key = this._key()
    const file: Record<string, Record<string, FileInvite>> = {}
    for (const [room, invites] of rooms) {
      file[room] = {}
      for (const [id, kept] of Object.entries(invites)) {
        const sealedCode = kept.code === null ? null : sealText(kept.code, key)
        file[room][id] = { sealedCode, note: kept.note }
      }
    }
    return writeJsonFile(this.file, { version: 2, rooms: file })
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isFileInvite(value: unknown, sealed: boolean): value is FileInvite {
  if (!isRecord(value) || !(value.note === null || typeof value.note === 'string')) return false
  const code = sealed ? value.sealedCode : value.code
  return code === null || typeof code === 'string'
}
