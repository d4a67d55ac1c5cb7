import type HyperDB from 'hyperdb'

/**
 * The view's counters for one apply batch: read on first use, written back once at the end.
 * They live in the view so that Autobase's undo-and-reapply on reorder rolls them back too.
 */
export class ViewCounters {
  private _view: HyperDB
  private _values: Map<string, number>
  private _changed: Set<string>

  constructor(view: HyperDB) {
    this._view = view
    this._values = new Map()
    this._changed = new Set()
  }

  async get(name: string): Promise<number> {
    const cached = this._values.get(name)
    if (cached !== undefined) return cached
    const record = await this._view.get<{ value: number }>('@roost/counters', { name })
    const value = record === null ? 0 : record.value
    this._values.set(name, value)
    return value
  }

  /** Returns the value before the increment. */
  async increment(name: string): Promise<number> {
    const value = await this.get(name)
    this._values.set(name, value + 1)
    this._changed.add(name)
    return value
  }

  async write(): Promise<void> {
    for (const name of this._changed) {
      await this._view.insert('@roost/counters', { name, value: this._values.get(name) as number })
    }
    this._changed.clear()
  }
}
