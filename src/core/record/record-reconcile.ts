import b4a from 'b4a'
import { openEpochKey, sealEpochKey } from '../epochs/epoch-crypto.js'
import type { KeyPair } from '../identity/identity-key.js'
import type { EpochKeyring } from '../epochs/epoch-keyring.js'
import type { Room } from '../rooms/room.js'
import type { RoomEntry } from '../rooms/room-registry.js'
import type { PersonalRecord, RecordRoom } from './personal-record.js'
import type { RecordNotes } from './record-notes.js'
import type { NotifyLevel, RecordOp } from './record-ops.js'

/** This device's side of the person's state, as the record sync reads and changes it. */
export interface LocalSide {
  readonly notes: RecordNotes
  /** The identity epoch keys are sealed to; its key pair only where its secret is held. */
  identity(): { publicKey: Buffer; keyPair: KeyPair | null }
  name(): string
  setName(name: string): Promise<void>
  blindPeer(): string | null
  setBlindPeer(key: string | null): Promise<void>
  entries(): RoomEntry[]
  /** The open room of an entry, with its keyring, or null while it is not running. */
  running(id: string): { room: Room; keyring: EpochKeyring } | null
  /** Opens a room another device of the person is in. */
  adoptRoom(room: RecordRoom): Promise<void>
  /** Closes and forgets a room another device of the person left. */
  dropRoom(id: string): Promise<void>
  adoptSettings(id: string, settings: { notify: NotifyLevel; autoDownload: boolean }): Promise<void>
  adoptRead(id: string, message: string): void
  /** The record gave a room epoch keys it lacked: its unreadable messages may read now. */
  learned(id: string): void
}

/**
 * One pass of the two-way sync between this device and the person's record: what this device
 * did (joined, left, read, changed, opened an epoch) becomes ops, what other devices did is
 * taken here. What this device changed itself (RecordNotes) wins over the record's older value.
 * Returns the ops it wrote; with the record not writable yet it only takes, and keeps the notes.
 */
export async function reconcile(record: PersonalRecord, local: LocalSide): Promise<number> {
  const ops: RecordOp[] = []
  const notes = local.notes
  const writable = record.writable

  const name = await record.name()
  if (notes.name || (name === null && !notes.placeholderName)) {
    if (name !== local.name()) ops.push({ t: 'name', name: local.name() })
  } else if (name !== null && name !== local.name()) {
    await local.setName(name)
    notes.placeholderName = false
  }

  const blindPeer = await record.blindPeer()
  if (notes.config || (blindPeer === undefined && local.blindPeer() !== null)) {
    if (blindPeer !== local.blindPeer()) ops.push({ t: 'config', blindPeer: local.blindPeer() })
  } else if (blindPeer !== undefined && blindPeer !== local.blindPeer()) {
    await local.setBlindPeer(blindPeer)
  }

  const recorded = new Map((await record.rooms()).map((r) => [r.room, r]))
  const leftHere = new Map(notes.left)
  for (const [room, at] of leftHere) {
    const r = recorded.get(room)
    if (r !== undefined && !r.left) ops.push({ t: 'leave', room, at })
  }

  const reads = await record.reads()
  const present = new Set<string>()
  for (const entry of local.entries()) {
    const id = entry.key
    present.add(id)
    if (leftHere.has(id)) continue
    const r = recorded.get(id)
    if (r === undefined || (r.left && entry.joinedAt > (r.leftAt ?? 0))) {
      ops.push({
        t: 'room',
        room: id,
        encryptionKey: entry.encryptionKey,
        joinedAt: entry.joinedAt
      })
      if (entry.notify !== undefined || entry.autoDownload !== undefined)
        ops.push(settingsOp(entry))
    } else if (r.left) {
      await local.dropRoom(id)
      continue
    } else if (notes.settings.has(id)) {
      ops.push(settingsOp(entry))
    } else {
      const notify = r.notify ?? 'all'
      const autoDownload = r.autoDownload === true
      if (notify !== (entry.notify ?? 'all') || autoDownload !== (entry.autoDownload === true))
        await local.adoptSettings(id, { notify, autoDownload })
    }
    const running = local.running(id)
    if (running === null) continue
    await syncRead(running.room, entry, reads.get(id), ops, local)
    await syncEpochs(record, id, running.keyring, ops, local)
  }

  for (const r of recorded.values()) {
    if (r.left || present.has(r.room) || leftHere.has(r.room)) continue
    await local.adoptRoom(r)
  }

  if (!writable) return 0
  await record.append(ops)
  for (const room of leftHere.keys()) notes.left.delete(room)
  notes.settings.clear()
  notes.name = false
  notes.config = false
  return ops.length
}

function settingsOp(entry: RoomEntry): RecordOp {
  return {
    t: 'settings',
    room: entry.key,
    notify: entry.notify ?? 'all',
    autoDownload: entry.autoDownload === true
  }
}

/** The read position moves forward only: whichever device read further wins. */
async function syncRead(
  room: Room,
  entry: RoomEntry,
  recorded: { id: string; seq: number } | undefined,
  ops: RecordOp[],
  local: LocalSide
): Promise<void> {
  const mine = entry.lastRead === null ? null : await room.messageById(entry.lastRead)
  if (
    mine !== null &&
    entry.lastRead !== null &&
    (recorded === undefined || mine.seq > recorded.seq)
  ) {
    ops.push({ t: 'read', room: entry.key, id: entry.lastRead, seq: mine.seq })
    return
  }
  if (recorded === undefined || recorded.id === entry.lastRead) return
  if (mine !== null && mine.seq >= recorded.seq) return
  // a message this device has not got yet is taken once it has
  if ((await room.messageById(recorded.id)) !== null) local.adoptRead(entry.key, recorded.id)
}

async function syncEpochs(
  record: PersonalRecord,
  id: string,
  keyring: EpochKeyring,
  ops: RecordOp[],
  local: LocalSide
): Promise<void> {
  const kept = await record.epochs(id)
  const identity = local.identity()
  for (const epoch of keyring.held()) {
    const hex = b4a.toString(epoch.id, 'hex')
    if (kept.has(hex)) continue
    const box = sealEpochKey(epoch.key, identity.publicKey)
    if (box !== null) ops.push({ t: 'epoch', room: id, id: hex, box: b4a.toString(box, 'hex') })
  }
  // only a device holding the identity's secret opens them (restored, or the first)
  if (identity.keyPair === null) return
  let learnt = false
  for (const [epoch, box] of kept) {
    if (keyring.key(b4a.from(epoch, 'hex')) !== null) continue
    const key = openEpochKey(b4a.from(box, 'hex'), identity.keyPair)
    if (key !== null && keyring.learn(b4a.from(epoch, 'hex'), key)) learnt = true
  }
  if (learnt) local.learned(id)
}
