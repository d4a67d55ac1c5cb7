import type { RoomId, RoomInfoUpdate } from '../../shared/api/contract.js'
import type { AppContext } from './context'
import { leaveAndForget, setDialogBusy, setDialogError, withRoom } from './room-actions'
import type { RoomDialogState } from './types'

export function openRoomDialog(ctx: AppContext, kind: RoomDialogState['kind'], room: RoomId): void {
  ctx.store.update((s) => ({ ...s, dialog: { kind, room, busy: false, error: null } }))
}

/** Renames the room and/or sets its topic (admins only: the core refuses others NOT_ADMIN). */
export async function saveRoomInfo(
  ctx: AppContext,
  room: RoomId,
  update: RoomInfoUpdate
): Promise<void> {
  setDialogBusy(ctx, 'room-info')
  try {
    const updated = await ctx.api.setRoomInfo(room, update)
    ctx.store.update((s) => ({ ...withRoom(s, updated), dialog: null }))
  } catch (err) {
    setDialogError(ctx, 'room-info', err)
  }
}

export async function confirmLeave(ctx: AppContext, room: RoomId): Promise<void> {
  setDialogBusy(ctx, 'leave-room')
  try {
    await leaveAndForget(ctx, room)
  } catch (err) {
    setDialogError(ctx, 'leave-room', err)
  }
}
