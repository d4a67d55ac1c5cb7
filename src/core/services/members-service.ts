import b4a from 'b4a'
import z32 from 'z32'
import type {
  InitOptions,
  Member,
  Profile,
  Role,
  RosterChange,
  RosterChangesOptions
} from '../../shared/api/contract.js'
import { MAX_ROSTER_CHANGES_PAGE, RoostError } from '../../shared/api/errors.js'
import { rotation } from '../epochs/epoch-ops.js'
import { countActiveAdmins } from '../rooms/apply.js'
import { ROLE } from '../rooms/ops.js'
import { rosterChangeDto } from '../rooms/roster-change-dto.js'
import {
  expectOptionalObject,
  expectOptionalPositiveInt,
  expectOptionalWholeNumber,
  expectString,
  validateName
} from '../validate.js'
import type { JoinedRoom } from '../rooms/joined-room.js'
import type { CoreContext } from './core-context.js'
import { parseBlindPeerKey } from './mirrors-service.js'

/** How long a restore waits for the person's record before it returns with the profile alone. */
const RESTORE_WAIT_MS = 30_000
/** A restored profile's name until the record gives the person's own. */
const RESTORED_NAME = 'Me'
/** How long a removed indexer's removal may wait for the old quorum before the room forks. */
const FORK_AFTER_MS = 10_000

/** The profile, and who is in each room with which role. */
export class MembersService {
  private _ctx: CoreContext

  constructor(ctx: CoreContext) {
    this._ctx = ctx
  }

  async profile(): Promise<Profile | null> {
    return this._ctx.profile.profile
  }

  /** A new profile, or one restored from its phrase (then `timeoutMs` is the record's wait). */
  async init(
    opts: InitOptions
  ): Promise<{ profile: Profile; restored: boolean; timeoutMs: number }> {
    const { name, phrase, blindPeer, timeoutMs } = expectOptionalObject(opts, 'init options')
    const words = phrase === undefined ? undefined : expectString(phrase, 'phrase')
    const restored = words !== undefined
    const wait = expectOptionalPositiveInt(timeoutMs, 'timeoutMs') ?? RESTORE_WAIT_MS
    if (blindPeer !== undefined && !restored)
      throw RoostError.invalidArgument('blindPeer is for a restore: set it with setConfig')
    const mirror =
      blindPeer === undefined || blindPeer === null
        ? null
        : z32.encode(parseBlindPeerKey(expectString(blindPeer, 'blindPeer')))
    // restored, the record's name replaces this placeholder, as on the device the words came from
    const profileName = name === undefined && restored ? RESTORED_NAME : validateName(name, 'Name')
    const profile = await this._ctx.profile.create(profileName, words)
    this._ctx.recordNotes.placeholderName = profileName === RESTORED_NAME && name === undefined
    if (mirror !== null) await this._ctx.config.update({ blindPeer: mirror })
    // a name typed at restore counts only if the record keeps none
    return { profile, restored, timeoutMs: wait }
  }

  async phrase(): Promise<string> {
    return this._ctx.profile.phrase()
  }

  async setName(name: string): Promise<Profile> {
    const profile = await this._ctx.profile.setName(validateName(name, 'Name'))
    this._ctx.recordNotes.changedName()
    for (const joined of this._ctx.runningRooms()) {
      if (joined.room.writable) {
        await joined.room.append([
          { name: '@roost/profile-update', value: { name: profile.name, timestamp: Date.now() } }
        ])
      }
    }
    return profile
  }

  async members(ref: string): Promise<Member[]> {
    const joined = this._ctx.joined(ref)
    return (await joined.room.members()).map((m) => joined.toMember(m))
  }

  async rosterChanges(ref: string, opts?: RosterChangesOptions): Promise<RosterChange[]> {
    const joined = this._ctx.joined(ref)
    const options = expectOptionalObject(opts, 'roster changes options')
    const from = expectOptionalWholeNumber(options.from, 'from') ?? 0
    const limit = Math.min(
      MAX_ROSTER_CHANGES_PAGE,
      expectOptionalPositiveInt(options.limit, 'limit') ?? MAX_ROSTER_CHANGES_PAGE
    )
    const nameOf = (profile: Buffer): string => joined.nameOf(profile)
    const changes: RosterChange[] = []
    for (const stored of await joined.room.rosterChanges(from, limit)) {
      const change = rosterChangeDto(stored, joined.id, nameOf)
      if (change !== null) changes.push(change)
    }
    return changes
  }

  async removeMember(ref: string, profileId: string): Promise<void> {
    const joined = this._ctx.joined(ref)
    await this._ctx.requireAdmin(joined)
    const target = await this._ctx.activeMember(joined, profileId)
    if (target.role === ROLE.ADMIN && (await countActiveAdmins(joined.room.view)) <= 1)
      throw RoostError.lastAdmin()
    const indexing = (await joined.room.writers()).some(
      (w) => b4a.equals(w.profile, target.profile) && w.indexer === true && w.removed !== true
    )
    // a new epoch for everyone else in the same batch: nothing written after it is theirs to read
    const length = await joined.room.append([
      { name: '@roost/member-remove', value: { profile: target.profile, timestamp: Date.now() } },
      await rotation(joined.room, target.profile)
    ])
    if (indexing) void this._forkIfStuck(joined, length).catch(() => {})
  }

  /**
   * A removed indexer whose device is gone for good can never confirm its own removal, and the
   * room would stop indexing (no fast-forward, no final order). If the removal is not indexed
   * within forkAfterMs, fork the indexing onto the remaining admins.
   */
  private async _forkIfStuck(joined: JoinedRoom, length: number): Promise<void> {
    const room = joined.room
    const wait = this._ctx.options.forkAfterMs ?? FORK_AFTER_MS
    try {
      await room.waitIndexed(length, AbortSignal.timeout(wait))
      return
    } catch {
      // not indexed in time: the old quorum is out of reach
    }
    if (this._ctx.closing || !this._ctx.rooms.has(joined.id) || !(await joined.isAdmin())) return
    const indexers = (await room.writers())
      .filter((w) => w.indexer === true && w.removed !== true)
      .map((w) => w.key)
    if (indexers.length === 0) return
    await room.append([
      {
        name: '@roost/indexer-fork',
        value: { indexers, system: room.base.system.core.key, length: room.base.indexedLength }
      }
    ])
  }

  async setRole(ref: string, profileId: string, role: Role): Promise<void> {
    const joined = this._ctx.joined(ref)
    if (role !== 'admin' && role !== 'member')
      throw RoostError.invalidArgument('role must be admin or member')
    await this._ctx.requireAdmin(joined)
    const target = await this._ctx.activeMember(joined, profileId)
    const wanted = role === 'admin' ? ROLE.ADMIN : ROLE.MEMBER
    if (target.role === wanted) return
    if (target.role === ROLE.ADMIN && (await countActiveAdmins(joined.room.view)) <= 1)
      throw RoostError.lastAdmin()
    await joined.room.append([
      {
        name: '@roost/role-set',
        value: { profile: target.profile, role: wanted, timestamp: Date.now() }
      }
    ])
  }
}
