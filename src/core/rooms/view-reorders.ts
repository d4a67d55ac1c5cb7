import type { ViewChanges } from 'autobase'

/** The name the room's HyperDB view core has in the view store. */
export const VIEW_NAME = 'view'

/**
 * Whether the room's view was rewritten below where an update started: autobase undid some of
 * it and applied the nodes again in another order (a reorder), or a fast-forward replaced it.
 * Messages read before may since have other positions, or be gone, which the message count
 * alone does not tell: a reorder of messages already seen keeps the count.
 */
export class ViewReorders {
  private _pending: boolean

  constructor() {
    this._pending = false
  }

  /** autobase's `update` handler: called once per applied update, before its 'update' event. */
  noteChanges(changes: ViewChanges): void {
    const view = changes.get(VIEW_NAME)
    if (view !== undefined && view.shared < view.from) this._pending = true
  }

  noteFastForward(): void {
    this._pending = true
  }

  /** True once after a rewrite: the caller announces it. */
  take(): boolean {
    const pending = this._pending
    this._pending = false
    return pending
  }
}
