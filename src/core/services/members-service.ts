import type { Member, Profile, Role } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { rotation } from '../epochs/epoch-ops.js'
import { countActiveAdmins } from '../rooms/apply.js'
import { ROLE } from '../rooms/ops.js'
import { expectOptionalObject, validateName } from '../validate.js'
import type { CoreContext } from './core-context.js'

/** The profile, and who is in each room with which role. */
export class MembersService {
  private _ctx: CoreContext

  constructor(ctx: CoreContext) {
    this._ctx = ctx
  }

  async profile(): Promise<Profile | null> {
    return this._ctx.profile.profile
  }

  async init(opts: { name: string }): Promise<Profile> {
    const { name } = expectOptionalObject(opts, 'init options')
    return this._ctx.profile.create(validateName(name, 'Name'))
  }

  async setName(name: string): Promise<Profile> {
    const profile = await this._ctx.profile.setName(validateName(name, 'Name'))
    for (const joined of this._ctx.rooms.values()) {
      if (joined.room.writable) {
        await joined.room.append([{ name: '@roost/profile-update', value: { name: profile.name } }])
      }
    }
    return profile
  }

  async members(ref: string): Promise<Member[]> {
    const joined = this._ctx.joined(ref)
    return (await joined.room.members()).map((m) => joined.toMember(m))
  }

  async removeMember(ref: string, profileId: string): Promise<void> {
    const joined = this._ctx.joined(ref)
    await this._ctx.requireAdmin(joined)
    const target = await this._ctx.activeMember(joined, profileId)
    if (target.role === ROLE.ADMIN && (await countActiveAdmins(joined.room.view)) <= 1)
      throw RoostError.lastAdmin()
    // a new epoch for everyone else in the same batch: nothing written after it is theirs to read
    await joined.room.append([
      { name: '@roost/member-remove', value: { profile: target.profile } },
      await rotation(joined.room, target.profile)
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
      { name: '@roost/role-set', value: { profile: target.profile, role: wanted } }
    ])
  }
}
