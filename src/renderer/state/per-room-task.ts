import type { RoomId } from '../../shared/api/contract.js'

/**
 * Runs one task per room at a time: a request while that room's run is in flight is coalesced
 * into one more run after it, so a burst of requests costs two runs.
 */
export class PerRoomTask {
  private _run: (room: RoomId) => Promise<void>
  private _running: Set<RoomId>
  private _again: Set<RoomId>

  constructor(run: (room: RoomId) => Promise<void>) {
    this._run = run
    this._running = new Set()
    this._again = new Set()
  }

  request(room: RoomId): void {
    if (this._running.has(room)) {
      this._again.add(room)
      return
    }
    void this._start(room)
  }

  private async _start(room: RoomId): Promise<void> {
    this._running.add(room)
    try {
      await this._run(room)
    } finally {
      this._running.delete(room)
    }
    if (this._again.delete(room)) this.request(room)
  }
}
