import { EventEmitter } from 'events'
import type { EventName, Listener, RoostEvents, Unsubscribe } from '../shared/api/contract.js'

/** Typed fan-out of the API's onDidX events. */
export class ApiEvents {
  private _emitter: EventEmitter

  constructor() {
    this._emitter = new EventEmitter()
    this._emitter.setMaxListeners(0)
  }

  emit<K extends EventName>(event: K, data: RoostEvents[K]): void {
    this._emitter.emit(event, data)
  }

  subscribe<K extends EventName>(event: K, listener: Listener<RoostEvents[K]>): Unsubscribe {
    this._emitter.on(event, listener)
    return () => {
      this._emitter.off(event, listener)
    }
  }
}
