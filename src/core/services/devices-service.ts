import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import type {
  Device,
  DeviceLink,
  DevicesEvent,
  InitOptions,
  LinkDeviceOptions,
  Profile
} from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { DeviceLinker, LINK_EXPIRES_MS } from '../devices/device-linker.js'
import { linkThisDevice, type LinkedRoom } from '../devices/link-this-device.js'
import type { LinkedRoomKeys } from '../devices/link-protocol.js'
import { deviceOf } from '../rooms/apply-devices.js'
import type { StoredWriter } from '../rooms/ops.js'
import type { RoomEntry } from '../rooms/room-registry.js'
import { decodeKey, expectOptionalPositiveInt } from '../validate.js'
import type BlindPairing from 'blind-pairing'
import type { Network } from '../network/network.js'
import type { CoreContext } from './core-context.js'
import type { RecordService } from './record-service.js'
import type { RoomsService } from './rooms-service.js'

const DEFAULT_LINK_TIMEOUT_MS = 60_000
/** How many of each room's newest messages say when a device last wrote. */
const LAST_SEEN_PAGE = 50

/**
 * This profile's devices: listing them from the rooms' views, link codes for new ones, linking
 * this device from another's code, and unlinking one in every room.
 */
export class DevicesService {
  private _ctx: CoreContext
  private _rooms: RoomsService
  private _linkers: Set<DeviceLinker>
  private _record: RecordService

  constructor(ctx: CoreContext, rooms: RoomsService, record: RecordService) {
    this._ctx = ctx
    this._rooms = rooms
    this._record = record
    this._linkers = new Set()
  }

  async devices(): Promise<Device[]> {
    const me = this._me()
    const profile = this._ctx.profile
    const current = profile.device.publicKey
    const byDevice = new Map<string, Device>()
    const ensure = (device: Buffer, linkedAt: number): Device => {
      const id = z32.encode(device)
      let entry = byDevice.get(id)
      if (entry === undefined) {
        entry = { id, current: false, linkedAt, lastSeen: null, revoked: false, rooms: 0 }
        byDevice.set(id, entry)
      }
      return entry
    }
    ensure(current, 0).current = true
    for (const joined of this._ctx.runningRooms()) {
      const room = joined.room
      const mine = (await room.writers()).filter((w) => b4a.equals(w.profile, me))
      // this device's own writer: a profile made before devices bound it as the profile itself
      const deviceOfWriter = (w: StoredWriter): Buffer =>
        b4a.equals(w.key, room.writerKey) ? current : deviceOf(w)
      for (const w of mine) {
        const entry = ensure(deviceOfWriter(w), w.epoch ?? 0)
        if (w.epoch)
          entry.linkedAt = entry.linkedAt === 0 ? w.epoch : Math.min(entry.linkedAt, w.epoch)
        if (w.revoked === true) entry.revoked = true
        else if (w.removed !== true) entry.rooms++
      }
      // the newest page's messages say when each device last wrote
      const { messages } = await room.messagesBefore(null, LAST_SEEN_PAGE)
      for (const m of messages) {
        const w = mine.find((x) => b4a.equals(x.key, m.writer))
        if (w === undefined) continue
        const entry = ensure(deviceOfWriter(w), 0)
        if (entry.lastSeen === null || m.timestamp > entry.lastSeen) entry.lastSeen = m.timestamp
      }
      for (const revoked of await room.revokedDevices(me)) ensure(revoked.device, 0).revoked = true
    }
    return [...byDevice.values()].sort(
      (a, b) => Number(b.current) - Number(a.current) || b.linkedAt - a.linkedAt
    )
  }

  async linkDevice(opts?: LinkDeviceOptions): Promise<DeviceLink> {
    this._me()
    const expiresInMs =
      expectOptionalPositiveInt(opts?.expiresInMs, 'expiresInMs') ?? LINK_EXPIRES_MS
    const { network, pairing } = this._requireNetwork()
    const linker = new DeviceLinker(
      {
        network,
        pairing,
        profile: this._ctx.profile,
        rooms: () => this._ctx.runningRooms(),
        record: () => this._record.keys(),
        onAdded: (device) => this._emit(device, 'added'),
        onLinked: (device) => this._emit(device, 'linked')
      },
      expiresInMs,
      () => this._linkers.delete(linker)
    )
    this._linkers.add(linker)
    await network.flush()
    return { code: linker.code, expires: linker.expires }
  }

  /** `init({ link })`: this device becomes one of the profile that made the code. */
  async initLinked(opts: InitOptions & { link: string }): Promise<Profile> {
    if (this._ctx.profile.profile !== null) throw RoostError.alreadyInitialized()
    const timeoutMs =
      expectOptionalPositiveInt(opts.timeoutMs, 'timeoutMs') ?? DEFAULT_LINK_TIMEOUT_MS
    const { network, pairing } = this._requireNetwork()
    await linkThisDevice(
      {
        network,
        pairing,
        becomeDevice: async (device) => {
          await this._ctx.profile.createLinked(
            opts.name === undefined ? device : { ...device, name: opts.name }
          )
        },
        keepRecord: async (keys) => {
          await this._ctx.recordFile.save(keys, false)
        },
        openRoom: (keys) => this._openLinkedRoom(keys)
      },
      opts.link,
      timeoutMs
    )
    return this._profileNow()
  }

  private _profileNow(): Profile {
    const profile = this._ctx.profile.profile
    if (profile === null) throw RoostError.notInitialized()
    return profile
  }

  async unlinkDevice(id: string): Promise<void> {
    const me = this._me()
    const device = decodeKey(id)
    if (device === null) throw RoostError.deviceNotFound(String(id))
    if (b4a.equals(device, this._ctx.profile.device.publicKey))
      throw RoostError.invalidArgument('This device cannot unlink itself: unlink it from another')
    let known = false
    for (const joined of this._ctx.runningRooms()) {
      const room = joined.room
      const theirs = (await room.writers()).filter(
        (w) => b4a.equals(w.profile, me) && b4a.equals(deviceOf(w), device) && w.revoked !== true
      )
      if (theirs.length === 0) continue
      known = true
      if (!room.writable) continue
      await room.append([
        { name: '@roost/device-revoke', value: { device, timestamp: Date.now() } }
      ])
    }
    if (!known) throw RoostError.deviceNotFound(id)
    await this._record.revokeDevice(device)
    this._emit(device, 'unlinked')
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this._linkers].map((l) => l.close()))
  }

  private async _openLinkedRoom(keys: LinkedRoomKeys): Promise<LinkedRoom> {
    const ctx = this._ctx
    const id = z32.encode(keys.key)
    const existing = ctx.rooms.get(id)
    if (existing === undefined) {
      const namespace = b4a.toString(crypto.randomBytes(32), 'hex')
      const entry: RoomEntry = {
        key: id,
        encryptionKey: b4a.toString(keys.encryptionKey, 'hex'),
        namespace,
        joinedAt: Date.now(),
        lastRead: null
      }
      await ctx.registry.put(entry)
      await this._rooms.openRoom(entry)
      ctx.events.emit('onDidChangeRooms', { room: id })
    }
    const room = ctx.joined(id).room
    const boxKey = room.writerKeyPair?.publicKey
    if (boxKey === undefined) throw new RoostError('INTERNAL', 'The room writer has no key pair')
    return {
      discoveryKey: room.discoveryKey,
      writer: room.writerKey,
      boxKey,
      untilWritable: (signal) => room.waitWritable(signal)
    }
  }

  private _emit(device: Buffer, change: DevicesEvent['change']): void {
    this._ctx.events.emit('onDidChangeDevices', { device: z32.encode(device), change })
  }

  private _me(): Buffer {
    this._ctx.requireProfile()
    return this._ctx.profile.publicKey
  }

  private _requireNetwork(): { network: Network; pairing: BlindPairing } {
    const { network, pairing } = this._ctx
    if (network === null || pairing === null)
      throw RoostError.invalidArgument(
        'Linking a device needs the network: this core was started offline'
      )
    return { network, pairing }
  }
}
