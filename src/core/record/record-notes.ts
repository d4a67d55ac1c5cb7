/**
 * What this device changed that the person's record must hear of, noted by the services as it
 * happens: a leave, a room's settings, the name, the blind peer. The record sync writes them and
 * clears them; until then the record's older value is not taken over the local one.
 */
export class RecordNotes {
  readonly left: Map<string, number>
  readonly settings: Set<string>
  name: boolean
  /** The name is a stand-in (restored without one): never written over the person's own. */
  placeholderName: boolean
  config: boolean
  private _onNote: () => void

  constructor() {
    this.left = new Map()
    this.settings = new Set()
    this.name = false
    this.placeholderName = false
    this.config = false
    this._onNote = () => {}
  }

  /** The record sync's wake-up call. */
  listen(onNote: () => void): void {
    this._onNote = onNote
  }

  leftRoom(room: string): void {
    this.left.set(room, Date.now())
    this._onNote()
  }

  changedSettings(room: string): void {
    this.settings.add(room)
    this._onNote()
  }

  changedName(): void {
    this.name = true
    this.placeholderName = false
    this._onNote()
  }

  changedConfig(): void {
    this.config = true
    this._onNote()
  }
}
