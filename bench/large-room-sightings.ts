// Where each probe of the large-room bench showed, and when: every member records each probe's
// send → visible time as its `onDidReceiveMessage` reports it (the send time travels in the text).
import type { Roost } from '../src/core/roost.js'
import { nowNs, nsToMs, parseProbe } from './lib.js'

export class Sightings {
  /** Member → probe seq → send → visible, ms. */
  private _seen: Map<number, Map<number, number>>
  private _progress: (() => void) | null

  constructor() {
    this._seen = new Map()
    this._progress = null
  }

  /** Records the probes `roost` shows as member `member`; returns the unsubscribe. */
  watch(member: number, roost: Roost): () => void {
    const seen = new Map<number, number>()
    this._seen.set(member, seen)
    return roost.onDidReceiveMessage(({ message }) => {
      const probe = parseProbe(message.text)
      if (probe === null || seen.has(probe.seq)) return
      seen.set(probe.seq, nsToMs(nowNs() - probe.sentNs))
      this._progress?.()
    })
  }

  /** Members that have not seen `count` distinct probes yet (probes are numbered 0 … count - 1). */
  missing(count: number): number[] {
    const out: number[] = []
    for (const [member, seen] of this._seen) if (seen.size < count) out.push(member)
    return out
  }

  /**
   * Resolves once every watched member has seen probes 0 … count - 1. A watchdog, not a budget:
   * rejects only when no member sees a new probe for `idleMs`.
   */
  untilAll(count: number, idleMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null
      const check = (): void => {
        if (timer !== null) clearTimeout(timer)
        const missing = this.missing(count)
        if (missing.length === 0) {
          this._progress = null
          resolve()
          return
        }
        timer = setTimeout(() => {
          this._progress = null
          reject(
            new Error(
              `${missing.length} members had not seen all ${count} probes, then no probe showed for ${idleMs} ms (e.g. members ${missing.slice(0, 5).join(', ')})`
            )
          )
        }, idleMs)
      }
      this._progress = check
      check()
    })
  }

  /** Every sighting but the sender's own (`senders[seq]` sent probe seq), ms. */
  latencies(senders: number[]): number[] {
    const out: number[] = []
    for (const [member, seen] of this._seen) {
      for (const [seq, ms] of seen) if (senders[seq] !== member) out.push(ms)
    }
    return out
  }
}
