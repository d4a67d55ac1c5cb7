import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import { verifyWriterBinding } from '../identity/identity-key.js'
import { requireMember, Skip, type ApplyContext } from './apply-context.js'
import { checkOptionalTimestamp } from './apply-roster-changes.js'
import { syncWriters, writersOf } from './apply-membership.js'
import type { OpValues, StoredMember, StoredRevokedDevice, StoredWriter } from './ops.js'

/** Who bound a writer: the device and its proof's epoch, as the writer record keeps them. */
export interface WriterDevice {
  device: Buffer
  epoch: number
}

/**
 * The device of `profile` that bound `writer` in this room, from its binding; Skip when the
 * binding is not one (forged, for another room or writer, another identity, malformed) or names
 * a device this profile unlinked here. The identity is always the profile's: a proof with an
 * empty chain vouches for whoever signed it.
 */
export async function boundDevice(
  binding: Buffer,
  profile: Buffer,
  writer: Buffer,
  ctx: ApplyContext
): Promise<WriterDevice> {
  const vouched = verifyWriterBinding(binding, crypto.discoveryKey(ctx.roomKey), writer, {
    identity: profile
  })
  if (vouched === null) throw new Skip('bad device binding')
  if (await isRevoked(profile, vouched.device, ctx)) throw new Skip('device was unlinked')
  return { device: vouched.device, epoch: vouched.epoch }
}

/**
 * Another device of the author's profile: any active device of a member may add the member's
 * next one, so linking needs no admin. The new writer writes, or indexes as the role says.
 */
export async function applyDeviceAdd(
  op: OpValues['@roost/device-add'],
  ctx: ApplyContext
): Promise<void> {
  const author = requireMember(ctx)
  checkOptionalTimestamp(op.timestamp)
  const { device, epoch } = await boundDevice(op.binding, author.profile, op.writer, ctx)
  if ((await ctx.view.get('@roost/writers', { key: op.writer })) !== null)
    throw new Skip('writer already known')
  const record = {
    key: op.writer,
    profile: author.profile,
    indexer: false,
    boxKey: op.boxKey,
    device,
    epoch
  }
  await ctx.view.insert('@roost/writers', record)
  await ctx.host.addWriter(op.writer, { indexer: false })
  await syncWriters(ctx)
}

/**
 * A device adding itself, with nobody who could add it online (restored from the phrase): an
 * optimistic block from a core that is no writer, kept only if it is a `device-add` of that very
 * core whose binding an active member's identity made. Anyone holding the room key can push
 * such blocks, so everything else is skipped before any view write.
 */
export async function applySelfAdd(
  op: OpValues['@roost/device-add'],
  ctx: ApplyContext
): Promise<void> {
  if (!b4a.equals(op.writer, ctx.node.from.key)) throw new Skip('adds a core other than its own')
  checkOptionalTimestamp(op.timestamp)
  const vouched = verifyWriterBinding(op.binding, crypto.discoveryKey(ctx.roomKey), op.writer)
  if (vouched === null) throw new Skip('bad device binding')
  const member = await ctx.view.get<StoredMember>('@roost/members', { profile: vouched.identity })
  if (member === null || member.removed) throw new Skip('not an active member')
  await applyDeviceAdd(op, { ...ctx, author: member })
  // last: autobase keeps the block only if it was acked, and nothing above may skip it then
  await ctx.host.ackWriter(op.writer)
}

/**
 * One of the author's own devices unlinked: its writers are removed for good and it may not be
 * added again, so its later blocks are skipped everywhere and healing re-keys without it. A
 * device may unlink only devices whose proof is no newer than its own, so a stolen laptop cannot
 * unlink the device its owner restored from the phrase (a newer epoch).
 */
export async function applyDeviceRevoke(
  op: OpValues['@roost/device-revoke'],
  ctx: ApplyContext
): Promise<void> {
  const author = requireMember(ctx)
  checkOptionalTimestamp(op.timestamp)
  const own = await ctx.view.get<StoredWriter>('@roost/writers', { key: ctx.node.from.key })
  if (own === null) throw new Skip('author has no writer record')
  const ownDevice = deviceOf(own)
  if (b4a.equals(ownDevice, op.device)) throw new Skip('a device cannot unlink itself')
  if (await isRevoked(author.profile, op.device, ctx)) throw new Skip('device already unlinked')
  const targets = (await writersOf(ctx.view, author.profile)).filter((w) =>
    b4a.equals(deviceOf(w), op.device)
  )
  if (targets.some((w) => (w.epoch ?? 0) > (own.epoch ?? 0)))
    throw new Skip('that device has a newer proof')
  for (const w of targets) {
    if (w.removed !== true && !ctx.host.removeable(w.key))
      throw new Skip('autobase refuses to remove that writer')
  }
  for (const w of targets) await ctx.view.insert('@roost/writers', { ...w, revoked: true })
  const revoked: StoredRevokedDevice = {
    profile: author.profile,
    device: op.device,
    timestamp: op.timestamp ?? null
  }
  await ctx.view.insert('@roost/revoked-devices', { ...revoked })
  await syncWriters(ctx)
}

/** The device a writer record names; a writer signed before devices is the profile's own. */
export function deviceOf(writer: StoredWriter): Buffer {
  return writer.device ?? writer.profile
}

async function isRevoked(profile: Buffer, device: Buffer, ctx: ApplyContext): Promise<boolean> {
  return (await ctx.view.get('@roost/revoked-devices', { profile, device })) !== null
}
