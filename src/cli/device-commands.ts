import type { Device, DeviceLink, RoostApi } from '../shared/api/contract.js'
import { RoostError } from '../shared/api/errors.js'

/** The commands that link, list and unlink this profile's devices. */
export type DeviceCommand =
  | { name: 'link'; expiresIn: number | undefined }
  | { name: 'devices' }
  | { name: 'unlink'; device: string }

const NAMES: ReadonlySet<string> = new Set<DeviceCommand['name']>(['link', 'devices', 'unlink'])

export function isDeviceCommandName(name: string): name is DeviceCommand['name'] {
  return NAMES.has(name)
}

export function isDeviceCommand(command: { name: string }): command is DeviceCommand {
  return NAMES.has(command.name)
}

type Take = (count: number, what: string) => string[]

export function buildDeviceCommand(
  name: DeviceCommand['name'],
  take: Take,
  flags: { expiresIn: number | undefined }
): DeviceCommand {
  switch (name) {
    case 'link':
      take(0, 'only --expires')
      return { name, expiresIn: flags.expiresIn }
    case 'devices':
      take(0, 'no arguments')
      return { name }
    case 'unlink':
      return { name, device: take(1, 'a DEVICE id (or its first characters)')[0] }
  }
}

interface Output {
  json: boolean
  value(json: unknown, text: string | string[]): void
  line(text: string): void
  log(text: string): void
}

export interface DeviceCommandSession {
  /** This process runs the core itself: a link code is answered only while it runs. */
  local: boolean
  untilSignal(): Promise<void>
}

export async function runDeviceCommand(
  command: DeviceCommand,
  api: RoostApi,
  out: Output,
  session: DeviceCommandSession
): Promise<void> {
  switch (command.name) {
    case 'link': {
      const linked = session.local ? untilLinked(api) : null
      try {
        const link = await api.linkDevice({ expiresInMs: command.expiresIn })
        out.value(link, [link.code, `on the new device: roost init --link ${link.code}`])
        if (linked === null) return
        out.log('waiting for the new device to link and take your rooms (Ctrl-C to stop)')
        return await untilDone(link, linked.promise, session, out)
      } finally {
        linked?.stop()
      }
    }
    case 'devices': {
      const devices = await api.devices()
      if (out.json) for (const d of devices) out.line(JSON.stringify(d))
      else for (const d of devices) out.line(deviceLine(d))
      return
    }
    case 'unlink': {
      const id = await deviceIn(api, command.device)
      await api.unlinkDevice(id)
      out.log('unlinked: every room ignores its later writes, and it gets no new room keys')
      return out.value({ device: id }, id)
    }
  }
}

/** `id  this device  linked 2026-12-04  last seen 5m ago  3 rooms`, or `… unlinked`. */
export function deviceLine(d: Device, now = Date.now()): string {
  const parts = [d.id]
  if (d.current) parts.push('this device')
  parts.push(d.linkedAt === 0 ? 'first device' : `linked ${new Date(d.linkedAt).toISOString()}`)
  if (!d.current)
    parts.push(d.lastSeen === null ? 'never seen' : `last seen ${ago(d.lastSeen, now)}`)
  parts.push(d.revoked ? 'unlinked' : `${d.rooms} room${d.rooms === 1 ? '' : 's'}`)
  return parts.join('  ')
}

function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000))
  if (s < 60) return `${s}s ago`
  if (s < 3600) return `${Math.round(s / 60)}m ago`
  if (s < 86400) return `${Math.round(s / 3600)}h ago`
  return `${Math.round(s / 86400)}d ago`
}

/** A device id from what a person types: the id, or a unique start of one (4 characters or more). */
async function deviceIn(api: RoostApi, ref: string): Promise<string> {
  const text = ref.trim()
  const devices = await api.devices()
  if (devices.some((d) => d.id === text)) return text
  const byPrefix = text.length >= 4 ? devices.filter((d) => d.id.startsWith(text)) : []
  if (byPrefix.length === 1) return byPrefix[0].id
  if (byPrefix.length > 1)
    throw RoostError.invalidArgument(`"${text}" starts several device ids: give more of it`)
  return text
}

/** Resolves when a device linked with a code of this core and can write in its rooms. */
function untilLinked(api: RoostApi): { promise: Promise<string>; stop: () => void } {
  let stop: () => void = () => {}
  const promise = new Promise<string>((resolve) => {
    stop = api.onDidChangeDevices((e) => {
      if (e.change === 'linked') resolve(e.device)
    })
  })
  return { promise, stop }
}

async function untilDone(
  link: DeviceLink,
  linked: Promise<string>,
  session: DeviceCommandSession,
  out: Output
): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const expired = new Promise<'expired'>((resolve) => {
    timer = setTimeout(() => resolve('expired'), Math.max(0, link.expires - Date.now()))
  })
  try {
    const outcome = await Promise.race([
      linked,
      expired,
      session.untilSignal().then(() => 'stopped' as const)
    ])
    if (outcome === 'expired') throw RoostError.linkExpired()
    if (outcome !== 'stopped') out.log(`linked device ${outcome}`)
  } finally {
    clearTimeout(timer)
  }
}
