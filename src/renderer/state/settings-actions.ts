import type { NotifyLevel, RoomId } from '../../shared/api/contract.js'
import { errorInfo } from '../util/error-text'
import { applyTheme } from '../util/theme'
import type { AppContext } from './context'
import { loadRooms, setDialogBusy, setDialogError, withRoom } from './room-actions'
import { showError } from './toast-actions'
import type { Theme } from './types'

function settingsDone(ctx: AppContext): void {
  ctx.store.update((s) =>
    s.dialog?.kind === 'settings' ? { ...s, dialog: { ...s.dialog, busy: false } } : s
  )
}

/**
 * A new profile (then its words, once), or with `phrase` the profile those words stand for.
 * A wrong phrase shows on the form, and nothing was written.
 */
export async function completeOnboarding(
  ctx: AppContext,
  name: string,
  restore?: { phrase: string; blindPeer: string }
): Promise<void> {
  ctx.store.update((s) => ({ ...s, onboarding: { busy: true, error: null, phrase: null } }))
  try {
    const profile = await ctx.api.init(
      restore === undefined
        ? { name }
        : {
            ...(name === '' ? {} : { name }),
            phrase: restore.phrase,
            ...(restore.blindPeer === '' ? {} : { blindPeer: restore.blindPeer })
          }
    )
    const words = restore === undefined ? await ctx.api.phrase().catch(() => null) : null
    ctx.store.update((s) => ({
      ...s,
      profile,
      roomsLoaded: true,
      onboarding: { busy: false, error: null, phrase: words }
    }))
    // restored, the person's record brought rooms back: list them, the newest open
    if (restore !== undefined) await loadRooms(ctx).catch(() => {})
  } catch (err) {
    ctx.store.update((s) => ({
      ...s,
      onboarding: { busy: false, error: errorInfo(err), phrase: null }
    }))
  }
}

export function phraseWritten(ctx: AppContext): void {
  ctx.store.update((s) => ({ ...s, onboarding: { ...s.onboarding, phrase: null } }))
}

export async function setName(ctx: AppContext, name: string): Promise<void> {
  setDialogBusy(ctx, 'settings')
  try {
    const profile = await ctx.api.setName(name)
    ctx.store.update((s) => ({ ...s, profile }))
    settingsDone(ctx)
  } catch (err) {
    setDialogError(ctx, 'settings', err)
  }
}

/** Sets a key setting (blind peer for new rooms, relay); an empty key clears it. */
export async function setKeySetting(
  ctx: AppContext,
  setting: 'blindPeer' | 'relay',
  key: string
): Promise<void> {
  setDialogBusy(ctx, 'settings')
  try {
    const config = await ctx.api.setConfig({ [setting]: key.trim() === '' ? null : key.trim() })
    ctx.store.update((s) => ({ ...s, config }))
    settingsDone(ctx)
  } catch (err) {
    setDialogError(ctx, 'settings', err)
  }
}

export async function setNotify(ctx: AppContext, room: RoomId, level: NotifyLevel): Promise<void> {
  try {
    const updated = await ctx.api.setRoomNotify(room, level)
    ctx.store.update((s) => withRoom(s, updated))
  } catch (err) {
    showError(ctx, err)
  }
}

export async function setAutoDownload(ctx: AppContext, room: RoomId, on: boolean): Promise<void> {
  try {
    const updated = await ctx.api.setRoomAutoDownload(room, on)
    ctx.store.update((s) => withRoom(s, updated))
  } catch (err) {
    showError(ctx, err)
  }
}

export function setTheme(ctx: AppContext, theme: Theme): void {
  applyTheme(theme)
  ctx.store.update((s) => ({ ...s, theme }))
}
