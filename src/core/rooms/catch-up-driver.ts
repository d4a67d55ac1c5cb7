import type Autobase from 'autobase'
import type Hypercore from 'hypercore'

/**
 * Autobase applies a whole backlog in one drain and emits 'update' only at its end (10,000
 * messages: over a minute with no event). Past this much applying in one drain, the drain is
 * cut (pause, then resume once it has returned) so the view, its events and the message count
 * move while the rest is applied.
 */
const PROGRESS_EVERY_MS = 250

/** autobase 7.28.1's own threshold: fast-forward only when the signed system is this far ahead. */
const FAST_FORWARD_MIN_BLOCKS = 16

/** How often a room checks that its applied system still follows the indexers' signed one. */
const DIVERGENCE_CHECK_MS = 2000

/** The internals of autobase 7.28.1 the catch-up workarounds read (see _retryFastForward). */
interface AutobaseInternals {
  fastForwardFailedAt: number
  _advancing: Promise<void> | null
  isFastForwarding(): boolean
  updating: boolean
  system: { core: { signedLength: number } } | null
  forceFastForward(): Promise<void>
  pause(): void
  resume(): void
  core: Hypercore & { opened: boolean; core: { state: { length: number } } }
}

/**
 * Keeps a room catching up after an absence: events while a long backlog applies, and a failed
 * fast-forward asked again as soon as a peer can serve it. Work-arounds for autobase 7.28.1.
 */
export class CatchUpDriver {
  /** How often Roost asked autobase again to fast-forward after a failed attempt. */
  fastForwardRetries: number
  /** How often a view that diverged from the indexers' signed one was fast-forwarded back. */
  divergenceRepairs: number
  private _base: Autobase<unknown>
  /** When the current drain started applying (0: not applying since the last update). */
  private _applyingSince: number
  private _cutting: boolean
  private _retrying: boolean
  private _system: Hypercore | null
  private _onSystemProgress: () => void
  private _divergenceTimer: ReturnType<typeof setInterval> | null
  /** The signed lengths (ours, the indexers') at the last check, while they differ. */
  private _lagSeen: string

  constructor(base: Autobase<unknown>) {
    this._base = base
    this.fastForwardRetries = 0
    this.divergenceRepairs = 0
    this._applyingSince = 0
    this._cutting = false
    this._retrying = false
    this._system = null
    this._onSystemProgress = () => this._retryFastForward()
    this._divergenceTimer = null
    this._lagSeen = ''
  }

  private get _internals(): AutobaseInternals {
    return this._base as unknown as AutobaseInternals
  }

  /** Once the base is ready: a peer holding more of the signed system may make a failed fast-forward possible. */
  attach(): void {
    const system = this._base.core
    this._system = system
    system.on('peer-add', this._onSystemProgress)
    system.on('append', this._onSystemProgress)
    system.on('remote-contiguous-length', this._onSystemProgress)
    this._divergenceTimer = setInterval(() => this.checkDivergence(), DIVERGENCE_CHECK_MS)
    this._divergenceTimer.unref?.()
  }

  detach(): void {
    if (this._divergenceTimer !== null) clearInterval(this._divergenceTimer)
    this._divergenceTimer = null
    const system = this._system
    this._system = null
    system?.off('peer-add', this._onSystemProgress)
    system?.off('append', this._onSystemProgress)
    system?.off('remote-contiguous-length', this._onSystemProgress)
  }

  /**
   * A base warning. INVALID_SIGNATURE: the indexers signed a view state our own apply did not
   * reach (seen after restarts amid reorders: the same nodes in another order). autobase
   * 7.28.1 only warns and keeps the divergent view for good, so the room would show another
   * order than every other member's forever. Fast-forward to the signed state instead.
   */
  onWarning(err: unknown): void {
    if ((err as { code?: unknown } | null)?.code === 'INVALID_SIGNATURE') this._repairDivergence()
  }

  /**
   * The other sign of the same divergence, with no warning: the indexers have signed further
   * than the system state we applied matches, and for two checks in a row neither moved while
   * nothing was being applied. (Catching up moves our signed length; a stuck one never does.)
   */
  checkDivergence(): void {
    const base = this._internals
    const system = base.core
    const applied = base.system?.core.signedLength ?? null
    if (!system.opened || applied === null || base.updating) return
    const signed = system.core.state.length
    const lag = applied < signed ? `${applied}/${signed}` : ''
    const stuck = lag !== '' && lag === this._lagSeen
    this._lagSeen = lag
    if (!stuck) return
    // a fast-forward needs the signed system's blocks: while no one can serve them, asking
    // again every check would only fail again (still stuck at the next check, it asks then)
    const fetchable =
      system.contiguousLength >= signed ||
      system.peers.some((peer) => peer.remoteContiguousLength >= signed)
    if (!fetchable) return
    this._lagSeen = ''
    this._repairDivergence()
  }

  private _repairDivergence(): void {
    if (this._retrying || this._base.closing !== null || this._internals.isFastForwarding()) return
    this.divergenceRepairs++
    this._forceFastForward()
  }

  /** After each base update: the drain has ended. */
  onUpdate(): void {
    this._applyingSince = 0
    this._retryFastForward()
  }

  /**
   * Called after each apply: once this drain has applied for PROGRESS_EVERY_MS, pause the base
   * so autobase ends the drain and emits 'update' with what is applied so far, and resume it
   * once that advance has returned. Upstream would emit progress (or yield) inside a long drain.
   */
  afterApply(): void {
    const now = Date.now()
    if (this._applyingSince === 0) this._applyingSince = now
    if (this._cutting || now - this._applyingSince < PROGRESS_EVERY_MS) return
    const base = this._internals
    this._cutting = true
    base.pause()
    const advancing = base._advancing ?? Promise.resolve()
    const resume = (): void => {
      this._cutting = false
      this._applyingSince = 0
      if (this._base.closing === null) base.resume()
    }
    // resumed in a microtask, never a later tick: autobase 7.28.1's append awaits _bump() in a
    // loop while its writer has unapplied blocks, and a paused bump resolves at once, so that
    // loop runs on microtasks alone and a timer or setImmediate would never fire (the process
    // spun at 100% CPU for good, seen in the partitions test)
    advancing.then(resume, resume)
  }

  /**
   * autobase 7.28.1 waits 5 minutes after a failed fast-forward (one tip block not fetched in
   * 5 s: a blind peer that never got it from a writer who went offline) and meanwhile applies
   * everything itself. When a peer now holds the whole signed system, ask again at once.
   * Upstream would retry a failed fast-forward when a peer with the missing blocks shows up,
   * and fall back to a shorter signed length it can fetch.
   */
  private _retryFastForward(): void {
    const base = this._internals
    if (this._retrying || base.fastForwardFailedAt === 0 || this._base.closing !== null) return
    if (base.isFastForwarding()) return
    const system = base.core
    if (!system.opened) return
    const signed = system.core.state.length
    if (signed - system.length < FAST_FORWARD_MIN_BLOCKS) return
    if (!system.peers.some((peer) => peer.remoteContiguousLength >= signed)) return
    this.fastForwardRetries++
    this._forceFastForward()
  }

  private _forceFastForward(): void {
    this._retrying = true
    this._internals
      .forceFastForward()
      .catch(() => {})
      .finally(() => {
        this._retrying = false
      })
  }
}
