import { EventEmitter } from 'events'
import type Autobase from 'autobase'
import type { RoomSyncing } from '../../shared/api/contract.js'

/** Fewer blocks left than this is a conversation going on, not a catch-up worth showing. */
const SHOW_AFTER_BLOCKS = 16
/** How often the count is read again: downloads move it without any autobase event. */
const CHECK_MS = 500

/** The parts of autobase 7.28.1 the count reads. */
interface WriterState {
  /** Blocks of this writer added to the causal order (and so applied). */
  length: number
  core: { length: number }
}
interface AutobaseState {
  activeWriters: Iterable<WriterState>
  isFastForwarding(): boolean
}

/**
 * How far a room is from what its members wrote, as far as this device knows: the blocks of the
 * members' writer cores announced by peers but not applied yet. Emits 'change' when the state
 * the API reports changes. A catch-up starts once more than SHOW_AFTER_BLOCKS are left (or a
 * fast-forward runs) and lasts until nothing is; its progress is the share applied since it
 * started.
 */
export class SyncProgress extends EventEmitter {
  private _base: AutobaseState
  private _timer: NodeJS.Timeout | null
  private _state: RoomSyncing | null
  /** Blocks applied when this catch-up started; null while none runs. */
  private _startApplied: number | null
  private _onUpdate: () => void
  private _source: Autobase<unknown>

  constructor(base: Autobase<unknown>) {
    super()
    this._source = base
    this._base = base as unknown as AutobaseState
    this._timer = null
    this._state = null
    this._startApplied = null
    this._onUpdate = () => this.check()
  }

  get state(): RoomSyncing | null {
    return this._state
  }

  start(): void {
    this._source.on('update', this._onUpdate)
    this._timer = setInterval(() => this.check(), CHECK_MS)
    this._timer.unref()
    this.check()
  }

  stop(): void {
    this._source.off('update', this._onUpdate)
    if (this._timer !== null) clearInterval(this._timer)
    this._timer = null
  }

  check(): void {
    const next = this._read()
    if (JSON.stringify(next) === JSON.stringify(this._state)) return
    this._state = next
    this.emit('change', next)
  }

  private _read(): RoomSyncing | null {
    let left = 0
    let applied = 0
    for (const writer of this._base.activeWriters) {
      left += Math.max(0, writer.core.length - writer.length)
      applied += writer.length
    }
    const fastForwarding = this._base.isFastForwarding()
    if (this._startApplied === null) {
      if (left <= SHOW_AFTER_BLOCKS && !fastForwarding) return null
      this._startApplied = applied
    } else if (left === 0 && !fastForwarding) {
      this._startApplied = null
      return null
    }
    // a fast-forward jumps past blocks without applying them: count those as done too
    const done = Math.max(0, applied - this._startApplied)
    const total = done + left
    const percent = total === 0 ? 0 : Math.floor((done / total) * 100)
    return { blocksLeft: left, percent, fastForwarding }
  }
}
