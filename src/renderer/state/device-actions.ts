import type { DevicesEvent } from '../../shared/api/contract.js'
import { errorInfo } from '../util/error-text'
import type { AppContext } from './context'
import { loadRooms } from './room-actions'
import { showError } from './toast-actions'
import type { DevicesState, ErrorInfo } from './types'

export const NO_DEVICES: DevicesState = {
  list: null,
  link: null,
  linked: false,
  linking: false,
  unlinking: null,
  error: null
}

/** Only the newest read lands: an older one answering late must not put back a stale list. */
let lastRead = 0

function updateDevices(ctx: AppContext, change: (d: DevicesState) => DevicesState): void {
  ctx.store.update((s) => (s.devices === null ? s : { ...s, devices: change(s.devices) }))
}

async function readDevices(ctx: AppContext): Promise<void> {
  const read = ++lastRead
  try {
    const list = await ctx.api.devices()
    if (read === lastRead) updateDevices(ctx, (d) => ({ ...d, list }))
  } catch (err) {
    if (read === lastRead) updateDevices(ctx, (d) => ({ ...d, error: errorInfo(err) }))
  }
}

/** Settings opened: read the devices, and keep them current until closeDevices. */
export async function openDevices(ctx: AppContext): Promise<void> {
  ctx.store.update((s) => ({ ...s, devices: NO_DEVICES }))
  await readDevices(ctx)
}

/** Settings closed: the list and any link code shown go with it. */
export function closeDevices(ctx: AppContext): void {
  ctx.store.update((s) => (s.devices === null ? s : { ...s, devices: null }))
}

export function onDevicesChanged(ctx: AppContext, event: DevicesEvent): void {
  if (ctx.store.getState().devices === null) return
  // 'linked' means the new device has the rooms: the code shown is used up
  if (event.change === 'linked') {
    updateDevices(ctx, (d) => (d.link === null ? d : { ...d, link: null, linked: true }))
  }
  void readDevices(ctx)
}

/** A new single-use code for another device to link with. */
export async function makeLinkCode(ctx: AppContext): Promise<void> {
  updateDevices(ctx, (d) => ({ ...d, linking: true, linked: false, error: null }))
  try {
    const link = await ctx.api.linkDevice()
    updateDevices(ctx, (d) => ({ ...d, linking: false, link }))
  } catch (err) {
    updateDevices(ctx, (d) => ({ ...d, linking: false, error: errorInfo(err) }))
  }
}

export async function unlinkDevice(ctx: AppContext, id: string): Promise<void> {
  updateDevices(ctx, (d) => ({ ...d, unlinking: id, error: null }))
  try {
    await ctx.api.unlinkDevice(id)
    updateDevices(ctx, (d) => ({ ...d, unlinking: null }))
  } catch (err) {
    updateDevices(ctx, (d) => ({ ...d, unlinking: null, error: errorInfo(err) }))
  }
  await readDevices(ctx)
}

/** A link's JOIN_TIMEOUT is about the other device, not a room's admins. */
function linkErrorInfo(err: unknown): ErrorInfo {
  const error = errorInfo(err)
  if (error.code !== 'JOIN_TIMEOUT') return error
  return {
    code: error.code,
    message:
      'The device that made the code did not answer in time. Keep Roost open on it, then try again (make a new code if this one has expired).'
  }
}

/**
 * Onboarding, "I already use Roost": this device joins the profile whose device made `code`,
 * with that profile's name and rooms. A refused code shows on the form, and nothing was written.
 */
export async function linkThisDevice(ctx: AppContext, code: string): Promise<void> {
  ctx.store.update((s) => ({ ...s, onboarding: { busy: true, error: null, phrase: null } }))
  try {
    const profile = await ctx.api.init({ link: code.trim() })
    ctx.store.update((s) => ({
      ...s,
      profile,
      onboarding: { busy: false, error: null, phrase: null }
    }))
  } catch (err) {
    ctx.store.update((s) => ({
      ...s,
      onboarding: { busy: false, error: linkErrorInfo(err), phrase: null }
    }))
    return
  }
  // the profile is made by now: a failed read of its rooms is no reason to show onboarding again
  await loadRooms(ctx).catch((err: unknown) => showError(ctx, err))
}
