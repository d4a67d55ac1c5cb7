import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import type HyperDB from 'hyperdb'
import {
  checkTimestamp,
  MAX_INVITE_ID_BYTES,
  requireAdmin,
  requireMember,
  Skip,
  storedName,
  type ApplyContext
} from './apply-context.js'
import { checkOptionalTimestamp, recordRosterChange } from './apply-roster-changes.js'
import { boundDevice, type WriterDevice } from './apply-devices.js'
import {
  memberBinding,
  ROLE,
  ROSTER_KIND,
  type OpValues,
  type StoredInvite,
  type StoredMember,
  type StoredWriter
} from './ops.js'

/**
 * Admins index the room, up to this many: a signed (fast-forwardable) order needs a majority of
 * the indexers online, so a few mostly-online admins beat every member a quorum must wait for.
 */
export const MAX_INDEXERS = 5

/**
 * Membership in apply(): who may add whom, with which invite, and the writer and indexer sets
 * that follow from it. Only role-set changes an existing member's role.
 */
export async function applyMemberAdd(
  op: OpValues['@roost/member-add'],
  ctx: ApplyContext
): Promise<void> {
  const { view, node } = ctx
  const genesis =
    (await ctx.counters.get('members')) === 0 &&
    b4a.equals(node.from.key, ctx.roomKey) &&
    b4a.equals(op.writer, node.from.key) &&
    op.role === ROLE.ADMIN
  if (!genesis) requireAdmin(ctx)
  const name = storedName(op.name)
  checkOptionalTimestamp(op.timestamp)
  if (!op.boxKey) throw new Skip('no box key')
  // a device's binding, or (before devices) the profile's own signature, which is device 0
  let bound: WriterDevice = { device: op.profile, epoch: 0 }
  if (op.binding) {
    bound = await boundDevice(op.binding, op.profile, op.writer, ctx)
  } else if (
    !crypto.verify(
      memberBinding(crypto.discoveryKey(ctx.roomKey), op.writer),
      op.signature,
      op.profile
    )
  ) {
    throw new Skip('bad member signature')
  }
  const existingWriter = await view.get<StoredWriter>('@roost/writers', { key: op.writer })
  if (existingWriter !== null && !b4a.equals(existingWriter.profile, op.profile))
    throw new Skip('writer belongs to another profile')
  if (existingWriter?.revoked === true) throw new Skip('writer of an unlinked device')
  const existing = await view.get<StoredMember>('@roost/members', { profile: op.profile })

  let invite: StoredInvite | null = null
  if (!genesis) {
    if (op.role !== ROLE.MEMBER) throw new Skip('only role-set makes admins')
    if (!op.inviteId) throw new Skip('a member is added with an invite')
    if (op.inviteId.length > MAX_INVITE_ID_BYTES) throw new Skip('bad invite id')
    if (op.timestamp === undefined || op.timestamp === null) throw new Skip('no admission time')
    checkTimestamp(op.timestamp)
    invite = await view.get<StoredInvite>('@roost/invites', { id: op.inviteId })
    if (invite === null || invite.revoked) throw new Skip('unknown or revoked invite')
    if (invite.expires !== 0 && op.timestamp >= invite.expires) throw new Skip('invite expired')
    if (invite.uses !== 0 && invite.used >= invite.uses) throw new Skip('invite used up')
    const personal = invite.forProfile ? b4a.equals(invite.forProfile, op.profile) : null
    if (personal === false) throw new Skip('invite is for another profile')
    if (existing !== null && existing.removed && !existing.left && personal !== true)
      throw new Skip('removed members come back only with an invite made for them')
  }

  if (existing === null) await ctx.counters.increment('members')
  const rejoining = existing !== null && !existing.removed
  if (!rejoining) {
    const kind = genesis ? ROSTER_KIND.CREATED : ROSTER_KIND.JOINED
    await recordRosterChange(ctx, { kind, subject: op.profile, name }, op.timestamp)
  }
  await view.insert('@roost/members', {
    profile: op.profile,
    name,
    role: rejoining ? existing.role : op.role,
    removed: false,
    invitedBy: rejoining
      ? existing.invitedBy
      : genesis || ctx.author === null
        ? null
        : ctx.author.profile,
    left: false
  })
  if (invite !== null) await view.insert('@roost/invites', { ...invite, used: invite.used + 1 })
  if (existingWriter === null) {
    const indexer = genesis
    const record = {
      key: op.writer,
      profile: op.profile,
      indexer,
      boxKey: op.boxKey,
      ...(op.binding ? bound : {})
    }
    await view.insert('@roost/writers', record)
    await ctx.host.addWriter(op.writer, { indexer })
  }
  await syncWriters(ctx)
}

export async function applyMemberRemove(
  op: OpValues['@roost/member-remove'],
  ctx: ApplyContext
): Promise<void> {
  requireAdmin(ctx)
  checkOptionalTimestamp(op.timestamp)
  const removed = await removeMember(op.profile, false, ctx)
  const facts = { kind: ROSTER_KIND.REMOVED, subject: op.profile, name: removed.name }
  await recordRosterChange(ctx, facts, op.timestamp)
}

/** A member leaving on their own: an ordinary invite may bring them back later. */
export async function applyMemberLeave(
  op: OpValues['@roost/member-leave'],
  ctx: ApplyContext
): Promise<void> {
  const author = requireMember(ctx)
  if (!b4a.equals(author.profile, op.profile)) throw new Skip('only oneself can leave')
  checkOptionalTimestamp(op.timestamp)
  await removeMember(op.profile, true, ctx)
  const facts = { kind: ROSTER_KIND.LEFT, subject: op.profile, name: author.name }
  await recordRosterChange(ctx, facts, op.timestamp)
}

export async function applyRoleSet(
  op: OpValues['@roost/role-set'],
  ctx: ApplyContext
): Promise<void> {
  requireAdmin(ctx)
  if (op.role !== ROLE.ADMIN && op.role !== ROLE.MEMBER) throw new Skip('unknown role')
  const target = await ctx.view.get<StoredMember>('@roost/members', { profile: op.profile })
  if (target === null || target.removed) throw new Skip('not a member')
  if (target.role === op.role) throw new Skip('role unchanged')
  if (target.role === ROLE.ADMIN && (await countActiveAdmins(ctx.view)) <= 1)
    throw new Skip('last admin')
  checkOptionalTimestamp(op.timestamp)
  await ctx.view.insert('@roost/members', { ...target, role: op.role })
  await syncWriters(ctx)
  const facts = { kind: ROSTER_KIND.ROLE, subject: op.profile, name: target.name, role: op.role }
  await recordRosterChange(ctx, facts, op.timestamp)
}

/**
 * When a removed indexer's device is gone for good, the old quorum can never confirm its
 * removal: an admin forks the indexing onto the remaining admins' writers (autobase checks the
 * system key and indexed length, and answers false on a replay, which is fine).
 */
export async function applyIndexerFork(
  op: OpValues['@roost/indexer-fork'],
  ctx: ApplyContext
): Promise<void> {
  requireAdmin(ctx)
  if (op.indexers.length === 0 || op.indexers.length > MAX_INDEXERS)
    throw new Skip('bad indexer count')
  if (!Number.isSafeInteger(op.length)) throw new Skip('bad fork length')
  const named = new Set(op.indexers.map((key) => b4a.toString(key, 'hex')))
  if (named.size !== op.indexers.length) throw new Skip('an indexer named twice')
  for (const key of op.indexers) {
    const writer = await ctx.view.get<StoredWriter>('@roost/writers', { key })
    if (writer === null || writer.removed === true) throw new Skip('not an active writer')
    const member = await ctx.view.get<StoredMember>('@roost/members', { profile: writer.profile })
    if (member === null || member.removed || member.role !== ROLE.ADMIN)
      throw new Skip('indexers are admins')
  }
  await ctx.host.fork(op.indexers, { key: op.system, length: op.length })
}

async function removeMember(
  profile: Buffer,
  left: boolean,
  ctx: ApplyContext
): Promise<StoredMember> {
  const target = await ctx.view.get<StoredMember>('@roost/members', { profile })
  if (target === null || target.removed) throw new Skip('not a member')
  if (target.role === ROLE.ADMIN && (await countActiveAdmins(ctx.view)) <= 1)
    throw new Skip('last admin')
  for (const writer of await writersOf(ctx.view, profile)) {
    if (!ctx.host.removeable(writer.key)) throw new Skip('autobase refuses to remove that writer')
  }
  await ctx.view.insert('@roost/members', { ...target, removed: true, left })
  await syncWriters(ctx)
  return target
}

/**
 * Brings autobase's writers in line with the members: active admins' writers index (up to
 * MAX_INDEXERS, the ones already indexing first, then by writer key), other active members'
 * writers write, removed members' writers are removed. Promotions go first, so the room never
 * passes through a moment without an indexer.
 */
export async function syncWriters(ctx: ApplyContext): Promise<void> {
  const writers = await ctx.view.find<StoredWriter>('@roost/writers', {}).toArray()
  const members = new Map<string, StoredMember>()
  for (const m of await ctx.view.find<StoredMember>('@roost/members', {}).toArray())
    members.set(b4a.toString(m.profile, 'hex'), m)
  const roleOf = (w: StoredWriter): 'admin' | 'member' | 'removed' => {
    if (w.revoked === true) return 'removed'
    const m = members.get(b4a.toString(w.profile, 'hex'))
    if (m === undefined || m.removed) return 'removed'
    return m.role === ROLE.ADMIN ? 'admin' : 'member'
  }
  const stateOf = (w: StoredWriter): WriterState =>
    w.removed === true ? 'removed' : w.indexer === true ? 'indexer' : 'writer'
  const admins = writers.filter((w) => roleOf(w) === 'admin')
  const keep = admins.filter((w) => stateOf(w) === 'indexer')
  const more = admins.filter((w) => stateOf(w) !== 'indexer')
  const indexing = new Set(
    [...keep, ...more.slice(0, Math.max(0, MAX_INDEXERS - keep.length))].map((w) =>
      b4a.toString(w.key, 'hex')
    )
  )
  const wanted = (w: StoredWriter): WriterState =>
    indexing.has(b4a.toString(w.key, 'hex'))
      ? 'indexer'
      : roleOf(w) === 'removed'
        ? 'removed'
        : 'writer'

  for (const w of writers) {
    if (wanted(w) !== 'indexer' || stateOf(w) === 'indexer') continue
    await ctx.host.addWriter(w.key, { indexer: true })
    await ctx.view.insert('@roost/writers', { ...w, indexer: true, removed: false })
  }
  for (const w of writers) {
    const want = wanted(w)
    if (want === 'indexer' || want === stateOf(w)) continue
    if (want === 'removed') await ctx.host.removeWriter(w.key)
    else await ctx.host.addWriter(w.key, { indexer: false })
    await ctx.view.insert('@roost/writers', { ...w, indexer: false, removed: want === 'removed' })
  }
}

type WriterState = 'indexer' | 'writer' | 'removed'

export async function writersOf(view: HyperDB, profile: Buffer): Promise<StoredWriter[]> {
  return view
    .find<StoredWriter>('@roost/writers-by-profile', { gte: { profile }, lte: { profile } })
    .toArray()
}

export async function countActiveAdmins(view: HyperDB): Promise<number> {
  const members = await view.find<StoredMember>('@roost/members', {}).toArray()
  return members.filter((m) => !m.removed && m.role === ROLE.ADMIN).length
}
