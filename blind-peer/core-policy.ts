import b4a from 'b4a'
import { discoveryId, type ManifestStore } from './manifest-store.js'
import type { QuotaLedger, QuotaReason } from './quota-ledger.js'

export type RefusalReason =
  'no room referrer' | 'room not registered here' | 'not in the room manifest' | QuotaReason

/** Refusals worth another look once a newer manifest arrives (the others only grow worse). */
export function retryable(reason: RefusalReason): boolean {
  return reason === 'room not registered here' || reason === 'not in the room manifest'
}

export type Admission = { ok: true; room: string } | { ok: false; reason: RefusalReason }

/**
 * What the blind peer takes and keeps growing: cores a registered room lists, asked for with
 * that room as referrer, within the storage cap and the room's and the asking peer's quotas.
 */
export class CorePolicy {
  readonly manifests: ManifestStore
  readonly ledger: QuotaLedger

  constructor(manifests: ManifestStore, ledger: QuotaLedger) {
    this.manifests = manifests
    this.ledger = ledger
  }

  /** May `peer` have this core kept for the room `referrer`? `held`: we have it already. */
  admit(key: Buffer, referrer: Buffer | null, peer: Buffer, held: boolean): Admission {
    if (referrer === null) return { ok: false, reason: 'no room referrer' }
    const room = this.manifests.active(referrer)
    if (room === null) return { ok: false, reason: 'room not registered here' }
    if (!room.cores.has(discoveryId(key))) return { ok: false, reason: 'not in the room manifest' }
    const roomId = b4a.toString(referrer, 'hex')
    if (!held) {
      const refusal = this.ledger.refusal(roomId, b4a.toString(peer, 'hex'))
      if (refusal !== null) return { ok: false, reason: refusal }
    }
    return { ok: true, room: roomId }
  }

  /**
   * Why the open core `id` (discovery key hex) must stop growing, or null if it may grow: it is
   * in no registered room's manifest (a removed member's writer, a room that dropped us), or a
   * limit is reached.
   */
  holdReason(id: string): RefusalReason | null {
    if (!this.manifests.lists(id)) return 'not in the room manifest'
    return this.ledger.limit(id)
  }
}
