import type { RoomId, RoostApi } from '../../shared/api/contract.js'
import type { AppBridge } from '../../shared/app-bridge.js'
import type { BoundedSet } from '../util/bounded-set'
import type { Store } from './store'
import type { AppState } from './types'

/** What every action works with: the API, the one store, and the room refresher. */
export interface AppContext {
  api: RoostApi
  store: Store<AppState>
  bridge: AppBridge | null
  refreshRoom(room: RoomId): void
  /** Reads the room's roster lines for its loaded timeline again. */
  refreshRosterLines(room: RoomId): void
  /** Ids a 'sent' event named before the message itself reached a timeline. */
  sentIds: BoundedSet
}
