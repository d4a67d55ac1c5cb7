/** A Set that forgets its oldest entries past `max`. */
export class BoundedSet {
  readonly max: number
  private _items: Set<string>

  constructor(max: number) {
    this.max = max
    this._items = new Set()
  }

  add(item: string): void {
    this._items.add(item)
    if (this._items.size <= this.max) return
    for (const oldest of this._items) {
      this._items.delete(oldest)
      break
    }
  }

  has(item: string): boolean {
    return this._items.has(item)
  }
}
