import type HyperDB from 'hyperdb'
import type { StoredMessage } from './ops.js'

/**
 * The ids of the newest messages as the view is at construction, read only when asked: the
 * snapshot fixes the moment, so the read can wait until the room has opened and shown its page.
 */
export class NewestIdsAtOpen {
  private _snapshot: HyperDB
  private _limit: number
  private _reading: Promise<string[]> | null

  constructor(view: HyperDB, limit: number) {
    this._snapshot = view.snapshot()
    this._limit = limit
    this._reading = null
  }

  /** The message count in the snapshot: messages past it came after the open. */
  async messageCount(): Promise<number> {
    const counter = await this._snapshot.get<{ value: number }>('@roost/counters', {
      name: 'messages'
    })
    return counter === null ? 0 : counter.value
  }

  /** Reads once; later calls get the same answer. */
  read(): Promise<string[]> {
    if (this._reading === null) this._reading = this._read()
    return this._reading
  }

  /**
   * Frees the snapshot. A read still running is cancelled, not awaited: after a fast-forward it
   * may wait for a view block only a peer has, and the core may have left the network already.
   */
  async release(): Promise<void> {
    this._reading ??= Promise.resolve([])
    await this._snapshot.close()
  }

  private async _read(): Promise<string[]> {
    try {
      const newest = await this._snapshot
        .find<StoredMessage>('@roost/messages', {}, { reverse: true, limit: this._limit })
        .toArray()
      return newest.map((m) => m.id)
    } finally {
      await this._snapshot.close()
    }
  }
}
