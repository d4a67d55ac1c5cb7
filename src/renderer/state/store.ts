/** One observable value: the app state. Updates replace it; subscribers are told after each. */
export class Store<S> {
  private _state: S
  private _listeners: Set<() => void>

  constructor(initial: S) {
    this._state = initial
    this._listeners = new Set()
  }

  getState = (): S => this._state

  subscribe = (listener: () => void): (() => void) => {
    this._listeners.add(listener)
    return () => {
      this._listeners.delete(listener)
    }
  }

  update(change: (state: S) => S): void {
    const next = change(this._state)
    if (next === this._state) return
    this._state = next
    for (const listener of [...this._listeners]) listener()
  }
}
