import type { RoomId } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'

export interface PerRoomTaskOptions {
  /** Any error but a room gone or a lost connection (a reconnect reloads everything anyway). */
  onError: (err: RoostError) => void
  /** The room was left or removed meanwhile: it has nothing to show. */
  onRoomGone?: (room: RoomId) => void
}

/**
 * Runs one task per room at a time: a request while that room's run is in flight is coalesced
 * into one more run after it, so a burst of requests costs two runs.
 */
export class PerRoomTask {
  private _run: (room: RoomId) => Promise<void>
  private _options: PerRoomTaskOptions
  private _running: Set<RoomId>
  private _again: Set<RoomId>

  constructor(run: (room: RoomId) => Promise<void>, options: PerRoomTaskOptions) {
    this._run = run
    this._options = options
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
    } catch (err) {
      const error = RoostError.from(err)
      if (error.code === 'ROOM_NOT_FOUND') this._options.onRoomGone?.(room)
      else if (error.code !== 'RPC_DISCONNECTED') this._options.onError(error)
    } finally {
      this._running.delete(room)
    }
    if (this._again.delete(room)) this.request(room)
  }
}
