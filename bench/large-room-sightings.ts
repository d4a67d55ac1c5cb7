// Where each probe of the large-room bench showed, and when: every member records each probe's
// send → visible time as its `onDidReceiveMessage` reports it (the send time travels in the text).
import type Autobase from 'autobase'
import b4a from 'b4a'
import type Hyperbee from 'hyperbee'
import type { Roost } from '../src/core/roost.js'
import { SerialTask } from '../src/shared/util/serial-task.js'
import { messageKey } from './baseline.js'
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
    const record = this.recorder(member)
    return roost.onDidReceiveMessage(({ message }) => record(message.text))
  }

  /** The raw comparison: each probe the first time it shows in `base`'s view (bench/baseline.ts). */
  watchView(member: number, base: Autobase<Hyperbee>): void {
    const record = this.recorder(member)
    let next = 0
    const scan = new SerialTask(
      async () => {
        for (;;) {
          const entry = await base.view.get(messageKey('lat', next))
          if (entry === null) return
          record(b4a.toString(entry.value, 'utf8'))
          next++
        }
      },
      () => {}
    )
    base.on('update', () => scan.request())
  }

  /** Member `member`'s sightings: call it with each message text as it shows, now. */
  recorder(member: number): (text: string) => void {
    const seen = new Map<number, number>()
    this._seen.set(member, seen)
    return (text) => {
      const probe = parseProbe(text)
      if (probe === null || seen.has(probe.seq)) return
      seen.set(probe.seq, nsToMs(nowNs() - probe.sentNs))
      this._progress?.()
    }
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
          const which = missing.slice(0, 5).map((m) => this._describe(m, count))
          reject(
            new Error(
              `${missing.length} members had not seen all ${count} probes, then no probe showed for ${idleMs} ms: ${which.join('; ')}`
            )
          )
        }, idleMs)
      }
      this._progress = check
      check()
    })
  }

  /** "member 36 saw 57 of 60, not 12, 40, 55" (the first ten missing). */
  private _describe(member: number, count: number): string {
    const seen = this._seen.get(member) as Map<number, number>
    const not: number[] = []
    for (let seq = 0; seq < count && not.length < 10; seq++) if (!seen.has(seq)) not.push(seq)
    return `member ${member} saw ${seen.size} of ${count}, not ${not.join(', ')}`
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
