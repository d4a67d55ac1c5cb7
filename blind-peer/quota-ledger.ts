import { readJsonFile, writeJsonFile } from '../src/core/storage/json-file.js'

export interface QuotaLimits {
  /** Bytes, all cores together. */
  maxStorage: number
  /** Bytes of the cores one room brought. */
  roomQuota: number
  /** Bytes of the cores one peer (remote public key) brought. */
  peerQuota: number
}

export type QuotaReason = 'storage full' | 'room quota' | 'peer quota'

interface Owner {
  /** Room key (hex) the core was first accepted for; null for cores held before rooms registered. */
  room: string | null
  /** Remote public key (hex) that first asked for the core. */
  peer: string | null
}

/**
 * Who brought which core, and how many bytes each core, room and peer holds. A core counts
 * against the room it was first accepted for and the peer that first asked for it, for good:
 * bytes are only ever added (the blind peer never garbage-collects a room's history).
 * Bytes are a core's byteLength, which counts blocks it has verified but not yet downloaded, so
 * what is on disk never exceeds what is counted. Owners are saved in `file`.
 */
export class QuotaLedger {
  readonly limits: QuotaLimits
  private _file: string
  private _owners: Map<string, Owner>
  private _bytes: Map<string, number>
  private _rooms: Map<string, number>
  private _peers: Map<string, number>
  private _total: number
  private _saving: Promise<void>
  private _dirty: boolean

  constructor(file: string, limits: QuotaLimits) {
    this.limits = limits
    this._file = file
    this._owners = new Map()
    this._bytes = new Map()
    this._rooms = new Map()
    this._peers = new Map()
    this._total = 0
    this._saving = Promise.resolve()
    this._dirty = false
  }

  async load(): Promise<void> {
    const saved = (await readJsonFile(this._file)) as { cores?: Record<string, Owner> } | null
    for (const [id, owner] of Object.entries(saved?.cores ?? {})) {
      this._owners.set(id, { room: owner.room ?? null, peer: owner.peer ?? null })
    }
  }

  get total(): number {
    return this._total
  }

  get full(): boolean {
    return this._total >= this.limits.maxStorage
  }

  owner(id: string): Owner | null {
    return this._owners.get(id) ?? null
  }

  roomBytes(room: string): number {
    return this._rooms.get(room) ?? 0
  }

  peerBytes(peer: string): number {
    return this._peers.get(peer) ?? 0
  }

  /** Rooms and peers at or past their quota. */
  over(): { rooms: string[]; peers: string[] } {
    const rooms = [...this._rooms].filter(([, b]) => b >= this.limits.roomQuota).map(([k]) => k)
    const peers = [...this._peers].filter(([, b]) => b >= this.limits.peerQuota).map(([k]) => k)
    return { rooms, peers }
  }

  /** Why a new core for `room` asked by `peer` may not be taken, or null if it may. */
  refusal(room: string, peer: string): QuotaReason | null {
    if (this.full) return 'storage full'
    if (this.roomBytes(room) >= this.limits.roomQuota) return 'room quota'
    if (this.peerBytes(peer) >= this.limits.peerQuota) return 'peer quota'
    return null
  }

  /** Why the held core `id` may grow no more, or null if it may. */
  limit(id: string): QuotaReason | null {
    if (this.full) return 'storage full'
    const owner = this._owners.get(id)
    if (owner?.room && this.roomBytes(owner.room) >= this.limits.roomQuota) return 'room quota'
    if (owner?.peer && this.peerBytes(owner.peer) >= this.limits.peerQuota) return 'peer quota'
    return null
  }

  /** Records who brought a core the first time it is accepted; later askers change nothing. */
  claim(id: string, room: string, peer: string): void {
    if (this._owners.has(id)) return
    this._owners.set(id, { room, peer })
    const bytes = this._bytes.get(id) ?? 0
    this._add(room, peer, bytes)
    // one save queued at a time: a burst of new cores is written once or twice, not per core
    if (this._dirty) return
    this._dirty = true
    this._saving = this._saving.then(() => this._save()).catch(() => {})
  }

  /**
   * Sets a core's byte count; true when that moved the total, its room or its peer across a
   * limit (so cores may need to stop growing).
   */
  set(id: string, bytes: number): boolean {
    const before = this._bytes.get(id) ?? 0
    if (bytes === before) return false
    const owner = this._owners.get(id) ?? { room: null, peer: null }
    const was = this._limitsOf(owner)
    this._bytes.set(id, bytes)
    this._total += bytes - before
    this._add(owner.room, owner.peer, bytes - before)
    return was !== this._limitsOf(owner)
  }

  saved(): Promise<void> {
    return this._saving
  }

  private _limitsOf(owner: Owner): string {
    const room = owner.room !== null && this.roomBytes(owner.room) >= this.limits.roomQuota
    const peer = owner.peer !== null && this.peerBytes(owner.peer) >= this.limits.peerQuota
    return `${this.full}/${room}/${peer}`
  }

  private _add(room: string | null, peer: string | null, delta: number): void {
    if (delta === 0) return
    if (room !== null) this._rooms.set(room, (this._rooms.get(room) ?? 0) + delta)
    if (peer !== null) this._peers.set(peer, (this._peers.get(peer) ?? 0) + delta)
  }

  private async _save(): Promise<void> {
    this._dirty = false
    await writeJsonFile(this._file, { cores: Object.fromEntries(this._owners) })
  }
}
