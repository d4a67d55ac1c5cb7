import type { Member as PairingMember } from 'blind-pairing'
import { InviteAdmitter } from '../invites/invite-admitter.js'
import type { JoinedRoom } from '../rooms/joined-room.js'
import type { CoreContext } from './core-context.js'

/** Answers joiners in the rooms where this profile is an admin; comes and goes with the role. */
export class Admitters {
  private _ctx: CoreContext
  private _members: Map<string, PairingMember>

  constructor(ctx: CoreContext) {
    this._ctx = ctx
    this._members = new Map()
  }

  async update(joined: JoinedRoom): Promise<void> {
    const ctx = this._ctx
    if (ctx.pairing === null || ctx.closing || !ctx.rooms.has(joined.id)) return
    const isAdmin = await joined.isAdmin()
    // the core may have started closing, or the room been left, while we read the role
    if (ctx.closing || !ctx.rooms.has(joined.id)) return
    const current = this._members.get(joined.id)
    if (isAdmin && current === undefined) {
      const admitter = new InviteAdmitter(joined)
      const member = ctx.pairing.addMember({
        discoveryKey: joined.room.discoveryKey,
        onadd: (request) => admitter.handle(request).catch(() => {})
      })
      this._members.set(joined.id, member)
    } else if (!isAdmin && current !== undefined) {
      this._members.delete(joined.id)
      await current.close()
    }
  }

  async remove(id: string): Promise<void> {
    const member = this._members.get(id)
    if (member === undefined) return
    this._members.delete(id)
    await member.close()
  }

  async closeAll(): Promise<void> {
    for (const member of this._members.values()) await member.close()
    this._members.clear()
  }
}
