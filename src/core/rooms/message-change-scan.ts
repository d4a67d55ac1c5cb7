import type { StoredMessage } from './ops.js'
import type { Room } from './room.js'

/** More changes than this in one scan (a catch-up) are not announced one by one. */
const MAX_CHANGES_PER_SCAN = 500

/** Finds the messages that edits, deletes, reactions and pins changed since it last looked. */
export class MessageChangeScan {
  private _room: Room
  private _known: number

  constructor(room: Room) {
    this._room = room
    this._known = 0
  }

  /** From now on: what is in the view already is not a change. */
  async start(): Promise<void> {
    this._known = await this._room.conversation.changeCount()
  }

  /** The changed messages as they are now, each once; [] when none changed. */
  async take(): Promise<StoredMessage[]> {
    const count = await this._room.conversation.changeCount()
    // fewer: a reorder rolled changes back (the room announces the reorder itself)
    if (count <= this._known) {
      this._known = count
      return []
    }
    const from = Math.max(this._known, count - MAX_CHANGES_PER_SCAN)
    const ids = await this._room.conversation.changedSince(from, count - from)
    const messages: StoredMessage[] = []
    for (const id of ids) {
      const message = await this._room.messageById(id)
      if (message !== null) messages.push(message)
    }
    // only once read: a read that fails is tried again on the next update
    this._known = count
    return messages
  }
}
