import type { CreateRoomOptions, ProfileId, Role, Room, RoomId } from '../../shared/api/contract.js'
import { errorInfo } from '../util/error-text'
import type { AppContext } from './context'
import { sortRooms, withoutKey } from './room-ops'
import { openTimeline } from './timeline-actions'
import { showError } from './toast-actions'
import type { AppState, BusyDialogKind } from './types'

const ACTIVE_KEY = 'roost.activeRoom'

export function withRoom(s: AppState, room: Room): AppState {
  return { ...s, rooms: { ...s.rooms, [room.id]: room } }
}

/** The room is gone (left here or elsewhere): forget it and show another. */
export function withoutRoom(s: AppState, id: RoomId): AppState {
  if (!(id in s.rooms)) return s
  const rooms = withoutKey(s.rooms, id)
  const activeRoom = s.activeRoom === id ? (sortRooms(rooms)[0]?.id ?? null) : s.activeRoom
  return {
    ...s,
    rooms,
    activeRoom,
    timelines: withoutKey(s.timelines, id),
    members: withoutKey(s.members, id)
  }
}

export async function loadRooms(ctx: AppContext): Promise<void> {
  const list = await ctx.api.rooms()
  const rooms: Record<RoomId, Room> = {}
  for (const room of list) rooms[room.id] = room
  ctx.store.update((s) => ({ ...s, rooms, roomsLoaded: true }))
  const remembered = localStorage.getItem(ACTIVE_KEY)
  const first = remembered !== null && remembered in rooms ? remembered : list[0]?.id
  if (first !== undefined) selectRoom(ctx, first)
}

export function selectRoom(ctx: AppContext, room: RoomId): void {
  const s = ctx.store.getState()
  if (!(room in s.rooms)) return
  localStorage.setItem(ACTIVE_KEY, room)
  ctx.store.update((state) => ({
    ...state,
    activeRoom: room,
    roomListShown: false,
    atBottom: true,
    // a jump is for the room it was made in, once (jumpTo sets it after opening the room)
    jump: null,
    dialog: state.dialog?.kind === 'switcher' ? null : state.dialog
  }))
  void openTimeline(ctx, room)
  // the timeline needs the members too, to tell apart two people with the same name
  void loadMembers(ctx, room, s.membersOpen)
}

/** Alt+Up / Alt+Down: the previous or next room in the sidebar's order. */
export function selectAdjacentRoom(ctx: AppContext, step: 1 | -1): void {
  const s = ctx.store.getState()
  const order = sortRooms(s.rooms)
  if (order.length === 0) return
  const index = order.findIndex((r) => r.id === s.activeRoom)
  const next = order[(index + step + order.length) % order.length]
  selectRoom(ctx, next.id)
}

export async function createRoom(ctx: AppContext, name: string, topic: string): Promise<void> {
  setDialogBusy(ctx, 'create-room')
  try {
    // leave optional fields out: the RPC frames turn undefined into null, which the core refuses
    const options: CreateRoomOptions = { name }
    if (topic.trim() !== '') options.topic = topic.trim()
    const room = await ctx.api.createRoom(options)
    ctx.store.update((s) => ({ ...withRoom(s, room), dialog: null }))
    selectRoom(ctx, room.id)
  } catch (err) {
    setDialogError(ctx, 'create-room', err)
  }
}

export function setDialogBusy(ctx: AppContext, kind: BusyDialogKind): void {
  ctx.store.update((s) =>
    s.dialog?.kind === kind ? { ...s, dialog: { ...s.dialog, busy: true, error: null } } : s
  )
}

export function setDialogError(ctx: AppContext, kind: BusyDialogKind, err: unknown): void {
  ctx.store.update((s) =>
    s.dialog?.kind === kind
      ? { ...s, dialog: { ...s.dialog, busy: false, error: errorInfo(err) } }
      : s
  )
}

/** Loads a room's members; a failure shows only when asked (`report`): names fall back to each message's. */
export async function loadMembers(ctx: AppContext, room: RoomId, report = true): Promise<void> {
  try {
    const members = await ctx.api.members(room)
    ctx.store.update((s) =>
      room in s.rooms ? { ...s, members: { ...s.members, [room]: members } } : s
    )
  } catch (err) {
    if (report) showError(ctx, err)
  }
}

export function toggleMembers(ctx: AppContext): void {
  const s = ctx.store.getState()
  // one panel beside the room at a time
  ctx.store.update((state) => ({
    ...state,
    membersOpen: !state.membersOpen,
    pins: null,
    search: null
  }))
  if (!s.membersOpen && s.activeRoom !== null) void loadMembers(ctx, s.activeRoom)
}

export async function removeMember(
  ctx: AppContext,
  room: RoomId,
  profile: ProfileId
): Promise<void> {
  try {
    await ctx.api.removeMember(room, profile)
  } catch (err) {
    showError(ctx, err)
  }
  void loadMembers(ctx, room)
}

export async function setRole(
  ctx: AppContext,
  room: RoomId,
  profile: ProfileId,
  role: Role
): Promise<void> {
  try {
    await ctx.api.setRole(room, profile, role)
  } catch (err) {
    showError(ctx, err)
  }
  void loadMembers(ctx, room)
}

/** Leaves for good: the room and its history go from this device (and any dialog closes). */
export async function leaveAndForget(ctx: AppContext, room: RoomId): Promise<void> {
  await ctx.api.leaveRoom(room)
  ctx.store.update((s) => ({ ...withoutRoom(s, room), dialog: null }))
  const next = ctx.store.getState().activeRoom
  if (next !== null) selectRoom(ctx, next)
}

export async function leaveRoom(ctx: AppContext, room: RoomId): Promise<void> {
  try {
    await leaveAndForget(ctx, room)
  } catch (err) {
    showError(ctx, err)
  }
}
