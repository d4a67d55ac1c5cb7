import type {
  ConnectionEvent,
  Message,
  MessageChangeEvent,
  MessageEvent,
  MessageStateEvent,
  RoomId,
  Unsubscribe
} from '../../shared/api/contract.js'
import type { AppContext } from './context'
import { loadPins } from './conversation-actions'
import { onDevicesChanged } from './device-actions'
import { setTransfer } from './file-actions'
import { onSendProgress } from './file-send-actions'
import { loadMembers } from './room-actions'
import type { Notifier } from './notifier'
import { withChangedMessages, withMessages, withSentStates } from './timeline-ops'
import type { PerRoomTask } from './per-room-task'
import { timelineReloader } from './timeline-reloader'
import { showError } from './toast-actions'
import type { AppState } from './types'

/** Events are applied at most this often, so a catch-up of thousands renders a few times. */
const FLUSH_MS = 40

/** Feeds the API's onDidX events into the store (batched) and the notifier. */
export class EventFeed {
  private _ctx: AppContext
  private _notifier: Notifier
  private _unsubscribes: Unsubscribe[]
  private _messages: Map<RoomId, Message[]>
  private _sent: Map<RoomId, Set<string>>
  /** Per room, the latest state of each message changed since the last flush. */
  private _changed: Map<RoomId, Map<string, Message>>
  private _timer: ReturnType<typeof setTimeout> | null
  private _reloader: PerRoomTask

  constructor(ctx: AppContext, notifier: Notifier) {
    this._ctx = ctx
    this._reloader = timelineReloader(ctx, (err) => showError(ctx, err))
    this._notifier = notifier
    this._unsubscribes = []
    this._messages = new Map()
    this._sent = new Map()
    this._changed = new Map()
    this._timer = null
  }

  start(): void {
    const { api } = this._ctx
    this._unsubscribes = [
      api.onDidChangeRooms(({ room }) => this._ctx.refreshRoom(room)),
      api.onDidReceiveMessage((e) => this._onMessage(e)),
      api.onDidChangeMessageState((e) => this._onState(e)),
      api.onDidChangeMembers(({ room }) => this._onMembers(room)),
      api.onDidChangeConnection((e) => this._onConnection(e)),
      api.onDidReorderMessages(({ room }) => this._onReorder(room)),
      api.onDidChangeMessage((e) => this._onChange(e)),
      api.onDidChangeFileTransfer(({ room, transfer }) => setTransfer(this._ctx, room, transfer)),
      api.onDidProgressSend((e) => onSendProgress(this._ctx, e)),
      api.onDidChangeDevices((e) => onDevicesChanged(this._ctx, e))
    ]
  }

  close(): void {
    for (const unsubscribe of this._unsubscribes) unsubscribe()
    this._unsubscribes = []
    if (this._timer !== null) clearTimeout(this._timer)
    this._timer = null
  }

  private _onMessage({ room, message }: MessageEvent): void {
    const list = this._messages.get(room)
    if (list === undefined) this._messages.set(room, [message])
    else list.push(message)
    this._schedule()
  }

  private _onChange({ room, message }: MessageChangeEvent): void {
    const changed = this._changed.get(room)
    if (changed === undefined) this._changed.set(room, new Map([[message.id, message]]))
    else changed.set(message.id, message)
    this._schedule()
  }

  private _onState({ room, id, state }: MessageStateEvent): void {
    if (state !== 'sent') return
    this._ctx.sentIds.add(id)
    const set = this._sent.get(room)
    if (set === undefined) this._sent.set(room, new Set([id]))
    else set.add(id)
    this._schedule()
  }

  private _onReorder(room: RoomId): void {
    // events already queued carry positions from before the rewrite: apply them first
    if (this._timer !== null) {
      clearTimeout(this._timer)
      this._timer = null
      this._flush()
    }
    this._reloader.request(room)
    this._ctx.refreshRoom(room)
    this._ctx.refreshRosterLines(room)
  }

  private _onMembers(room: RoomId): void {
    this._ctx.refreshRoom(room)
    this._ctx.refreshRosterLines(room)
    if (this._ctx.store.getState().members[room] !== undefined) void loadMembers(this._ctx, room)
  }

  private _onConnection({ room, connection }: ConnectionEvent): void {
    this._ctx.store.update((s) => {
      const current = s.rooms[room]
      if (current === undefined) return s
      return { ...s, rooms: { ...s.rooms, [room]: { ...current, connection } } }
    })
  }

  private _schedule(): void {
    if (this._timer !== null) return
    this._timer = setTimeout(() => {
      this._timer = null
      this._flush()
    }, FLUSH_MS)
  }

  private _flush(): void {
    const messages = this._messages
    const sent = this._sent
    const changed = this._changed
    this._messages = new Map()
    this._sent = new Map()
    this._changed = new Map()
    const isSent = (id: string): boolean => this._ctx.sentIds.has(id)
    this._ctx.store.update((s) => {
      let next: AppState = s
      for (const [room, list] of messages) next = withIncoming(next, room, list, isSent)
      for (const [room, byId] of changed) next = withChanged(next, room, byId)
      for (const [room, ids] of sent) {
        const timeline = next.timelines[room]
        if (timeline === undefined) continue
        next = { ...next, timelines: { ...next.timelines, [room]: withSentStates(timeline, ids) } }
      }
      return next
    })
    for (const [room, list] of messages) {
      this._ctx.refreshRoom(room)
      this._notifier.onMessages(room, list)
    }
    const pinsRoom = this._ctx.store.getState().pins?.room
    if (pinsRoom !== undefined && changed.has(pinsRoom)) void loadPins(this._ctx, pinsRoom)
  }
}

/** Changed messages replace the loaded ones, and the room's last message if it is one. */
function withChanged(s: AppState, room: RoomId, byId: ReadonlyMap<string, Message>): AppState {
  let next = s
  const timeline = s.timelines[room]
  if (timeline !== undefined) {
    const updated = withChangedMessages(timeline, byId)
    if (updated !== timeline) next = { ...next, timelines: { ...next.timelines, [room]: updated } }
  }
  const dto = next.rooms[room]
  const last = dto?.lastMessage ? byId.get(dto.lastMessage.id) : undefined
  if (dto !== undefined && last !== undefined) {
    next = { ...next, rooms: { ...next.rooms, [room]: { ...dto, lastMessage: last } } }
  }
  return next
}

/** New messages go into a loaded timeline, and the newest becomes the room's last message. */
function withIncoming(
  s: AppState,
  room: RoomId,
  list: Message[],
  isSent: (id: string) => boolean
): AppState {
  let next = s
  const timeline = s.timelines[room]
  if (timeline !== undefined) {
    next = {
      ...next,
      timelines: { ...next.timelines, [room]: withMessages(timeline, list, isSent) }
    }
  }
  const dto = next.rooms[room]
  const newest = list.reduce((a, b) => (b.seq > a.seq ? b : a))
  if (dto !== undefined && (dto.lastMessage === null || newest.seq >= dto.lastMessage.seq)) {
    next = { ...next, rooms: { ...next.rooms, [room]: { ...dto, lastMessage: newest } } }
  }
  return next
}
