/**
 * Runs an async task on demand, never two at once: a request made while it runs schedules
 * exactly one more run after it, so every request is followed by a run that saw its cause.
 */
export class SerialTask {
  private _task: () => Promise<void>
  private _onError: (err: unknown) => void
  private _running: Promise<void> | null
  private _again: boolean

  constructor(task: () => Promise<void>, onError: (err: unknown) => void) {
    this._task = task
    this._onError = onError
    this._running = null
    this._again = false
  }

  request(): void {
    if (this._running !== null) {
      this._again = true
      return
    }
    this._running = this._loop()
  }

  /** Resolves when no run is in progress or pending. */
  async idle(): Promise<void> {
    while (this._running !== null) await this._running
  }

  private async _loop(): Promise<void> {
    try {
      do {
        this._again = false
        await this._task()
      } while (this._again)
    } catch (err) {
      this._onError(err)
    } finally {
      this._running = null
    }
  }
}
