import type { Message, RoomId } from '../../shared/api/contract.js'
import type { AppBridge } from '../../shared/app-bridge.js'
import { cleanText } from '../../shared/text/clean-name.js'
import { labelFor, roomNames, shownName } from '../../shared/text/display-names.js'
import { previewText } from '../util/file-kind'
import { isForMe } from '../util/mentions'
import { totalUnread } from './room-ops'
import type { Store } from './store'
import type { AppState } from './types'

const PREVIEW_CHARS = 140

/**
 * Desktop notifications for new messages in rooms not on screen (by each room's notify level),
 * and the unread badge: the dock/taskbar in the app, the tab title in a browser.
 */
export class Notifier {
  private _store: Store<AppState>
  private _bridge: AppBridge | null
  private _openRoom: (room: RoomId) => void
  private _badge: number
  private _unsubscribe: (() => void) | null

  constructor(store: Store<AppState>, bridge: AppBridge | null, openRoom: (room: RoomId) => void) {
    this._store = store
    this._bridge = bridge
    this._openRoom = openRoom
    this._badge = -1
    this._unsubscribe = null
  }

  start(): void {
    let rooms = this._store.getState().rooms
    this._updateBadge()
    this._unsubscribe = this._store.subscribe(() => {
      const next = this._store.getState().rooms
      if (next === rooms) return
      rooms = next
      this._updateBadge()
    })
  }

  close(): void {
    this._unsubscribe?.()
    this._unsubscribe = null
  }

  /** Asks once for permission (browsers want a user gesture first; Electron grants it). */
  requestPermission(): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'default') return
    Notification.requestPermission().catch(() => {})
  }

  onMessages(room: RoomId, messages: Message[]): void {
    const s = this._store.getState()
    const me = s.profile
    const dto = s.rooms[room]
    if (me === null || me === undefined || dto === undefined) return
    if (dto.notify === 'none' || (s.activeRoom === room && s.visible)) return
    let relevant = messages.filter((m) => m.author !== me.id)
    if (dto.notify === 'mentions') {
      const loaded = s.timelines[room]?.messages ?? []
      relevant = relevant.filter((m) => isForMe(m, me, loaded))
    }
    if (relevant.length === 0) return
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return
    const last = relevant[relevant.length - 1]
    const names = roomNames(s.members[room] ?? [], relevant)
    const who = labelFor(names, last.author, last.authorName)
    const preview = `${who}: ${cleanText(previewText(last).slice(0, PREVIEW_CHARS * 8), PREVIEW_CHARS)}`
    const body = relevant.length === 1 ? preview : `${relevant.length} new messages\n${preview}`
    try {
      const notification = new Notification(shownName(dto.name) || 'Roost', { body, tag: room })
      notification.onclick = () => {
        window.focus()
        this._openRoom(room)
        notification.close()
      }
    } catch {
      // some platforms allow notifications only from a service worker: the badge still shows
    }
  }

  private _updateBadge(): void {
    const count = totalUnread(this._store.getState().rooms)
    if (count === this._badge) return
    this._badge = count
    this._bridge?.setBadgeCount(count)
    document.title = count > 0 ? `(${count}) Roost` : 'Roost'
  }
}
