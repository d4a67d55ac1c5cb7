import b4a from 'b4a'
import type HyperDB from 'hyperdb'
import type { StoredEpoch, StoredMember, StoredWriter } from './ops.js'

/**
 * The view reads every message of an apply batch repeats (its writer's member record, whether
 * its epoch exists), each read once per batch. Only ops that are not messages or message
 * changes write members, writers or epochs, so apply clears this after each of those.
 */
export class ApplyLookups {
  private _view: HyperDB
  private _members: Map<string, Promise<StoredMember | null>>
  private _epochs: Map<string, Promise<boolean>>

  constructor(view: HyperDB) {
    this._view = view
    this._members = new Map()
    this._epochs = new Map()
  }

  /** The writer's member record, null for a writer that is not an active member. */
  activeMemberOfWriter(writer: Buffer): Promise<StoredMember | null> {
    const hex = b4a.toString(writer, 'hex')
    let member = this._members.get(hex)
    if (member === undefined) {
      member = activeMemberOfWriter(this._view, writer)
      this._members.set(hex, member)
    }
    return member
  }

  hasEpoch(id: Buffer): Promise<boolean> {
    const hex = b4a.toString(id, 'hex')
    let known = this._epochs.get(hex)
    if (known === undefined) {
      known = this._view.get<StoredEpoch>('@roost/epochs', { id }).then((e) => e !== null)
      this._epochs.set(hex, known)
    }
    return known
  }

  clear(): void {
    this._members.clear()
    this._epochs.clear()
  }
}

async function activeMemberOfWriter(view: HyperDB, writer: Buffer): Promise<StoredMember | null> {
  const record = await view.get<StoredWriter>('@roost/writers', { key: writer })
  if (record === null || record.revoked === true) return null
  const member = await view.get<StoredMember>('@roost/members', { profile: record.profile })
  return member === null || member.removed ? null : member
}
