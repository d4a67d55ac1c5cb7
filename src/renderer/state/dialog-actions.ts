import type { InviteOptions, RoomId } from '../../shared/api/contract.js'
import { errorInfo } from '../util/error-text'
import type { AppContext } from './context'
import { selectRoom, withRoom } from './room-actions'
import { showError } from './toast-actions'
import type { AppState, InviteDialogState } from './types'

export function openSimpleDialog(
  ctx: AppContext,
  kind: 'create-room' | 'settings' | 'switcher'
): void {
  ctx.store.update((s) => ({
    ...s,
    dialog: kind === 'switcher' ? { kind } : { kind, busy: false, error: null }
  }))
}

export function closeDialog(ctx: AppContext): void {
  ctx.store.update((s) => (s.dialog === null ? s : { ...s, dialog: null }))
}

// ---- invite ----

function updateInvite(
  ctx: AppContext,
  room: RoomId,
  change: (d: InviteDialogState) => InviteDialogState
): void {
  ctx.store.update((s: AppState) =>
    s.dialog?.kind === 'invite' && s.dialog.room === room ? { ...s, dialog: change(s.dialog) } : s
  )
}

async function reloadInvites(ctx: AppContext, room: RoomId): Promise<void> {
  try {
    const invites = await ctx.api.invites(room)
    updateInvite(ctx, room, (d) => ({ ...d, invites }))
  } catch (err) {
    updateInvite(ctx, room, (d) => ({ ...d, error: errorInfo(err) }))
  }
}

export function openInvite(ctx: AppContext, room: RoomId): void {
  ctx.store.update((s) => ({
    ...s,
    dialog: { kind: 'invite', room, invites: null, created: null, busy: false, error: null }
  }))
  void reloadInvites(ctx, room)
}

export async function createInvite(
  ctx: AppContext,
  room: RoomId,
  options: InviteOptions
): Promise<void> {
  updateInvite(ctx, room, (d) => ({ ...d, busy: true, error: null }))
  try {
    const created = await ctx.api.createInvite(room, options)
    updateInvite(ctx, room, (d) => ({ ...d, busy: false, created }))
  } catch (err) {
    updateInvite(ctx, room, (d) => ({ ...d, busy: false, error: errorInfo(err) }))
  }
  await reloadInvites(ctx, room)
}

export async function revokeInvite(ctx: AppContext, room: RoomId, id: string): Promise<void> {
  try {
    await ctx.api.revokeInvite(room, id)
    updateInvite(ctx, room, (d) => (d.created?.id === id ? { ...d, created: null } : d))
  } catch (err) {
    updateInvite(ctx, room, (d) => ({ ...d, error: errorInfo(err) }))
  }
  await reloadInvites(ctx, room)
}

// ---- join ----

export function openJoin(ctx: AppContext, initialCode = ''): void {
  ctx.store.update((s) => {
    // a deep link arriving while a join runs must not hide its progress
    if (s.dialog?.kind === 'join' && s.dialog.busy) return s
    return {
      ...s,
      dialog: {
        kind: 'join',
        initialCode,
        busy: false,
        startedAt: null,
        error: null,
        alreadyIn: null
      }
    }
  })
}

/** Joins with a code or link; progress and any error stay in the dialog while it is open. */
export async function joinRoom(ctx: AppContext, code: string): Promise<void> {
  ctx.store.update((s) =>
    s.dialog?.kind === 'join'
      ? {
          ...s,
          dialog: { ...s.dialog, busy: true, startedAt: Date.now(), error: null, alreadyIn: null }
        }
      : s
  )
  // taken before joining: the new room's own event may add it to the list before join returns
  const before = ctx.store.getState().rooms
  try {
    const room = await ctx.api.join(code.trim())
    // in it already: the dialog stays to say so, the room opens behind it
    const known = before[room.id]?.writable === true
    ctx.store.update((s) => ({
      ...withRoom(s, room),
      dialog:
        s.dialog?.kind !== 'join'
          ? s.dialog
          : known
            ? { ...s.dialog, busy: false, startedAt: null, alreadyIn: room.name }
            : null
    }))
    selectRoom(ctx, room.id)
  } catch (err) {
    const stillOpen = ctx.store.getState().dialog?.kind === 'join'
    if (!stillOpen) {
      showError(ctx, err)
      return
    }
    ctx.store.update((s) =>
      s.dialog?.kind === 'join'
        ? {
            ...s,
            dialog: { ...s.dialog, busy: false, startedAt: null, error: errorInfo(err) }
          }
        : s
    )
  }
}
