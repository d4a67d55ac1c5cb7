import path from 'path'
import type BlindPairing from 'blind-pairing'
import type Corestore from 'corestore'
import { RoostError } from '../../shared/api/errors.js'
import { ConfigStore } from '../config/config-store.js'
import { ApiEvents } from '../events.js'
import { ProfileStore } from '../identity/profile-store.js'
import { InviteCodeStore } from '../invites/invite-code-store.js'
import type { Mirroring } from '../mirrors/mirroring.js'
import WakeupSwarm from 'protomux-wakeup'
import type { Network, NetworkOptions } from '../network/network.js'
import type { JoinedRoom } from '../rooms/joined-room.js'
import type { StoredMember } from '../rooms/ops.js'
import { RoomRegistry } from '../rooms/room-registry.js'
import { RecordFileStore } from '../record/record-keys.js'
import { RecordNotes } from '../record/record-notes.js'
import { diskFullOr } from '../storage/disk-full.js'
import { decodeKey, expectString } from '../validate.js'
import { SearchIndexer } from '../search/search-indexer.js'

export interface RoostOptions extends Omit<NetworkOptions, 'relays'> {
  dataDir: string
  /** For tests: how long no member may be reachable before a room reports trouble. */
  troubleAfterMs?: number
  /** No swarm: local reads and writes only (one-shot CLI commands). */
  offline?: boolean
  /** For tests: how long a removed indexer's removal waits for the old quorum before forking. */
  forkAfterMs?: number
}

/**
 * What every capability of one core shares: the data dir's stores, the network once it is up,
 * and the open rooms. The services read it; only the facade's open/close change its resources.
 */
export class CoreContext {
  readonly dataDir: string
  readonly options: RoostOptions
  readonly events: ApiEvents
  readonly profile: ProfileStore
  readonly registry: RoomRegistry
  readonly config: ConfigStore
  /** Where the person's own record is, and whether this device writes its first core. */
  readonly recordFile: RecordFileStore
  /** What this device changed that the person's record has not heard of yet. */
  readonly recordNotes: RecordNotes
  /** Codes and notes of the invites this device made. */
  readonly inviteCodes: InviteCodeStore
  /** Open rooms by room key (z32). */
  readonly rooms: Map<string, JoinedRoom>
  /** Relay hints of invites being joined right now. */
  readonly joinRelays: Set<Buffer>
  store: Corestore | null
  /** The device's full-text index of the messages it can read (never synced). */
  readonly search: SearchIndexer
  network: Network | null
  /**
   * Autobase's wakeup protocol (which writers hold nodes to order) for every room, over every
   * connection: the rooms share connections, so they share one swarm (see Network).
   */
  readonly wakeup: WakeupSwarm
  pairing: BlindPairing | null
  mirroring: Mirroring | null
  closing: boolean

  constructor(options: RoostOptions) {
    this.dataDir = path.resolve(options.dataDir)
    this.options = options
    this.events = new ApiEvents()
    this.profile = new ProfileStore(this.dataDir)
    this.registry = new RoomRegistry(this.dataDir)
    this.config = new ConfigStore(this.dataDir)
    this.recordFile = new RecordFileStore(this.dataDir)
    this.recordNotes = new RecordNotes()
    this.inviteCodes = new InviteCodeStore(this.dataDir, () =>
      this.profile.atRestKey('roost invites.json v2')
    )
    this.search = new SearchIndexer(this.dataDir, () =>
      this.profile.atRestKey('roost search-index v1')
    )
    this.rooms = new Map()
    this.joinRelays = new Set()
    this.store = null
    this.network = null
    this.wakeup = new WakeupSwarm()
    this.pairing = null
    this.mirroring = null
    this.closing = false
  }

  /** A room by key; a room a storage error stopped answers with that error, coded. */
  joined(ref: unknown): JoinedRoom {
    const text = expectString(ref, 'room').trim()
    const byKey = this.rooms.get(text)
    if (byKey === undefined) throw RoostError.roomNotFound(text)
    if (byKey.room.failure !== null) throw this.roomStopped(byKey)
    return byKey
  }

  /** The rooms still running: a storage error (a full disk) stops a room's base for good. */
  *runningRooms(): Generator<JoinedRoom> {
    for (const joined of this.rooms.values()) if (joined.room.failure === null) yield joined
  }

  roomStopped(joined: JoinedRoom): RoostError {
    const failure = joined.room.failure
    const mapped = diskFullOr(failure, this.dataDir)
    if (mapped instanceof RoostError) return mapped
    const why = failure instanceof Error ? failure.message : String(failure)
    return new RoostError(
      'INTERNAL',
      `This room stopped after a storage error (${why}): restart Roost (everything saved before is kept)`
    )
  }

  requireProfile(): void {
    if (this.profile.profile === null) throw RoostError.notInitialized()
  }

  requireStore(): Corestore {
    if (this.closing || this.store === null) throw RoostError.closed()
    return this.store
  }

  async requireAdmin(joined: JoinedRoom): Promise<void> {
    if (!(await joined.isAdmin())) throw RoostError.notAdmin()
  }

  async activeMember(joined: JoinedRoom, profileId: unknown): Promise<StoredMember> {
    const id = expectString(profileId, 'profile')
    const key = decodeKey(id)
    const member = key === null ? null : await joined.room.member(key)
    if (member === null || member.removed) throw RoostError.memberNotFound(id)
    return member
  }

  setLastRead(joined: JoinedRoom, id: string): void {
    joined.entry = this.registry.setLastRead(joined.id, id) ?? joined.entry
  }
}
