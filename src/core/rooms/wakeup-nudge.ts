import type Autobase from 'autobase'

/** How often a room checks that the indexers are ordering what it has applied. */
const CHECK_MS = 2000

interface WakeupEntry {
  key: Buffer
  length: number
}

interface WakeupPeer {
  pending?: boolean
}

/** The internals of autobase 7.28.1 the nudge reads (see WakeupNudge). */
interface AutobaseInternals {
  updating: boolean
  indexedLength: number
  core: { opened: boolean; length: number }
  wakeupSession: {
    peers: Iterable<WakeupPeer>
    announce(peer: WakeupPeer, wakeup: WakeupEntry[]): void
    broadcastLookup(req: Record<string, never>): void
  } | null
  _getWakeup(): WakeupEntry[]
}

/**
 * Tells connected peers again which writers hold nodes no indexer has ordered yet.
 *
 * autobase 7.28.1 announces them (its wakeup protocol) once, when a peer's wakeup channel opens,
 * and skips a peer whose channel is still pending then. An indexer that missed it (restarted,
 * or reconnected amid churn) and has since dropped that writer as idle never looks at its core
 * again: the room's order stops at what it had, on every member, for good, though everyone is
 * connected. Seen in the partitions test as the indexer missing 108 of one member's messages
 * that both other members held.
 *
 * So while our applied state has a tip the indexers have not signed, and for two checks in a
 * row nothing moved and nothing was applying, announce our wakeup to every peer again and ask
 * theirs. It is a few bytes per peer; when the indexers are simply offline it changes nothing.
 * Upstream would re-announce to a peer once its wakeup channel stops being pending.
 */
export class WakeupNudge {
  /** How often the announcement was repeated. */
  nudges: number
  private _base: AutobaseInternals
  private _timer: ReturnType<typeof setInterval> | null
  /** indexed/applied lengths at the last check, while the tip was unsigned. */
  private _tipSeen: string

  constructor(base: Autobase<unknown>) {
    this._base = base as unknown as AutobaseInternals
    this.nudges = 0
    this._timer = null
    this._tipSeen = ''
  }

  attach(): void {
    this._timer = setInterval(() => this.check(), CHECK_MS)
    this._timer.unref?.()
  }

  detach(): void {
    if (this._timer !== null) clearInterval(this._timer)
    this._timer = null
  }

  check(): void {
    const base = this._base
    const session = base.wakeupSession
    if (!base.core.opened || base.updating || session === null) return
    const indexed = base.indexedLength
    const applied = base.core.length
    const tip = applied > indexed ? `${indexed}/${applied}` : ''
    const stuck = tip !== '' && tip === this._tipSeen
    this._tipSeen = tip
    if (!stuck) return
    const wakeup = base._getWakeup()
    let told = 0
    for (const peer of session.peers) {
      if (peer.pending === true) continue
      if (wakeup.length > 0) session.announce(peer, wakeup)
      told++
    }
    if (told === 0) return
    session.broadcastLookup({})
    this._tipSeen = ''
    this.nudges++
  }
}
