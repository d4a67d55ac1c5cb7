import b4a from 'b4a'
import type { OpValues, StoredWriter } from '../rooms/ops.js'
import type { Room } from '../rooms/room.js'
import { newEpoch, sealEpochKey, type Epoch } from './epoch-crypto.js'
import type { EpochKeyring } from './epoch-keyring.js'

type EpochKeysOp = { name: '@roost/epoch-keys'; value: OpValues['@roost/epoch-keys'] }
type Box = OpValues['@roost/epoch-keys']['boxes'][number]

/** Boxes per op, below apply's bound (MAX_EPOCH_BOXES). */
const BOXES_PER_OP = 512

/** The writers of active members, the devices that may read the room's next epochs. */
export async function activeWriters(
  room: Room,
  except: Buffer | null = null
): Promise<StoredWriter[]> {
  const active = new Set<string>()
  for (const m of await room.members()) {
    if (!m.removed && (except === null || !b4a.equals(m.profile, except)))
      active.add(b4a.toString(m.profile, 'hex'))
  }
  return (await room.writers()).filter(
    (w) => w.removed !== true && active.has(b4a.toString(w.profile, 'hex'))
  )
}

/** A new epoch sealed to every active writer but those of `except` (the member being removed). */
export async function rotation(room: Room, except: Buffer | null = null): Promise<EpochKeysOp> {
  const epoch = newEpoch()
  const boxes = sealFor([epoch], await activeWriters(room, except))
  // apply refuses a rotation of over MAX_EPOCH_BOXES devices; past BOXES_PER_OP the rest are granted
  return { name: '@roost/epoch-keys', value: { rotate: true, boxes: boxes.slice(0, BOXES_PER_OP) } }
}

/** Grants of the given epochs to writers, in ops apply accepts. */
export function grants(epochs: Epoch[], writers: StoredWriter[]): EpochKeysOp[] {
  const boxes = sealFor(epochs, writers)
  const ops: EpochKeysOp[] = []
  for (let i = 0; i < boxes.length; i += BOXES_PER_OP) {
    ops.push({
      name: '@roost/epoch-keys',
      value: { rotate: false, boxes: boxes.slice(i, i + BOXES_PER_OP) }
    })
  }
  return ops
}

/**
 * What an admin appends so the epochs match the members: a rotation when the current epoch was
 * sealed to a writer that is no longer active (a removal or a leave raced with it, or nobody
 * rotated yet), else grants of the epochs we hold to active writers that lack them (a joiner
 * admitted while another admin rotated).
 */
export async function healing(room: Room, keyring: EpochKeyring): Promise<EpochKeysOp[]> {
  const current = await room.currentEpoch()
  const writers = await activeWriters(room)
  const activeKeys = new Set(writers.map((w) => b4a.toString(w.key, 'hex')))
  if (current === null) return [await rotation(room)]
  const sealedTo = await room.epochBoxWriters(current.id)
  if (sealedTo.some((key) => !activeKeys.has(b4a.toString(key, 'hex'))))
    return [await rotation(room)]

  const held = keyring.held()
  const missing: StoredWriter[] = []
  const needs: Epoch[][] = []
  for (const w of writers) {
    const have = new Set((await room.epochBoxesOf(w.key)).map((b) => b4a.toString(b.epoch, 'hex')))
    const lacking = held.filter((e) => !have.has(b4a.toString(e.id, 'hex')))
    if (lacking.length > 0) {
      missing.push(w)
      needs.push(lacking)
    }
  }
  return missing.flatMap((w, i) => grants(needs[i], [w]))
}

function sealFor(epochs: Epoch[], writers: StoredWriter[]): Box[] {
  const boxes: Box[] = []
  for (const w of writers) {
    if (!w.boxKey) continue
    for (const epoch of epochs) {
      const box = sealEpochKey(epoch.key, w.boxKey)
      if (box !== null) boxes.push({ epoch: epoch.id, writer: w.key, box })
    }
  }
  return boxes
}
