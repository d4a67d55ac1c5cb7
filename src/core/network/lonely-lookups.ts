/** After these waits alone, the room's topic is looked up again; then every LATER_MS. */
const DELAYS_MS = [1000, 2000, 4000, 8000, 16_000, 32_000, 60_000]
const LATER_MS = 5 * 60 * 1000

/**
 * Looks a room's topic up again while none of its other members is connected. Hyperswarm gives
 * up on a peer after four failed or short-lived connections and forgets it, and it looks a topic
 * up again only every ten minutes or so: after a burst of restarts on both sides (each start
 * announces a new key), every member of a room was seen sitting alone with no peer on record.
 */
export class LonelyLookups {
  private _lookUp: () => void
  private _timer: NodeJS.Timeout | null
  private _tries: number
  /** Look-ups made so far (a diagnostic). */
  lookups: number

  constructor(lookUp: () => void) {
    this._lookUp = lookUp
    this._timer = null
    this._tries = 0
    this.lookups = 0
  }

  /** Call whenever the room's connections change: look-ups run only while it is lonely. */
  update(lonely: boolean): void {
    if (!lonely) {
      this.close()
      this._tries = 0
      return
    }
    if (this._timer !== null) return
    const delay = DELAYS_MS[this._tries] ?? LATER_MS
    this._timer = setTimeout(() => {
      this._timer = null
      this._tries++
      this.lookups++
      this._lookUp()
      this.update(true)
    }, delay)
    this._timer.unref()
  }

  close(): void {
    if (this._timer !== null) clearTimeout(this._timer)
    this._timer = null
  }
}
