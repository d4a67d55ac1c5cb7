import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import type {
  CreateRoomOptions,
  Message,
  NotifyLevel,
  Room as RoomDto,
  RoomInfoUpdate
} from '../../shared/api/contract.js'
import { DEFAULT_MIRROR_FILE_CAP, RoostError } from '../../shared/api/errors.js'
import { newEpoch, sealEpochKey } from '../epochs/epoch-crypto.js'
import { healing } from '../epochs/epoch-ops.js'
import { JoinedRoom } from '../rooms/joined-room.js'
import { eachLimited } from '../../shared/util/each-limited.js'
import { SerialTask } from '../../shared/util/serial-task.js'
import { countActiveAdmins } from '../rooms/apply.js'
import { memberBinding, ROLE } from '../rooms/ops.js'
import { Room } from '../rooms/room.js'
import type { RoomEntry } from '../rooms/room-registry.js'
import {
  expectOptionalObject,
  expectOptionalWholeNumber,
  expectString,
  validateName,
  validateTopic
} from '../validate.js'
import type { Admitters } from './admitters.js'
import type { CoreContext } from './core-context.js'

/** How long leaving waits for a peer (member or blind peer) to take the leave record. */
/** Rooms opened at once when the core starts: storage waits overlap, memory stays bounded. */
const ROOMS_OPENING_AT_ONCE = 4
const LEAVE_SEND_MS = 15_000

/** Rooms as a whole: opening, creating, leaving, listing and their info. */
export class RoomsService {
  private _ctx: CoreContext
  private _admitters: Admitters
  /** Each room's last DTO: what the list still shows of a room a storage error stopped. */
  private _lastDtos: WeakMap<JoinedRoom, RoomDto>

  constructor(ctx: CoreContext, admitters: Admitters) {
    this._ctx = ctx
    this._admitters = admitters
    this._lastDtos = new WeakMap()
  }

  async rooms(): Promise<RoomDto[]> {
    const rooms: RoomDto[] = []
    for (const joined of this._ctx.rooms.values()) {
      const dto = await this.roomDto(joined).catch((err: unknown) => {
        if (joined.room.failure === null) throw err
        return null
      })
      if (dto !== null) {
        rooms.push(dto)
        continue
      }
      // a stopped room stays listed as it last was (opening it says why), so it does not vanish
      const last = this._lastDtos.get(joined)
      if (last !== undefined) rooms.push({ ...last, writable: false })
    }
    return rooms.sort((a, b) => (b.lastMessage?.timestamp ?? 0) - (a.lastMessage?.timestamp ?? 0))
  }

  async room(ref: string): Promise<RoomDto> {
    return this.roomDto(this._ctx.joined(ref))
  }

  async resolveRoom(ref: string): Promise<string> {
    const text = expectString(ref, 'room').trim()
    if (this._ctx.rooms.has(text)) return text
    const matches: string[] = []
    for (const joined of this._ctx.runningRooms()) {
      const info = await joined.room.info()
      if (info !== null && info.name.toLowerCase() === text.toLowerCase()) matches.push(joined.id)
    }
    if (matches.length > 1) throw RoostError.roomAmbiguous(text)
    if (matches.length === 0) throw RoostError.roomNotFound(text)
    return matches[0]
  }

  async createRoom(opts: CreateRoomOptions): Promise<RoomDto> {
    const ctx = this._ctx
    const options = expectOptionalObject(opts, 'room options')
    const name = validateName(options.name, 'Room name')
    const topic = options.topic == null ? '' : validateTopic(options.topic)
    ctx.requireProfile()
    const store = ctx.requireStore()

    const namespace = b4a.toString(crypto.randomBytes(32), 'hex')
    const room = new Room(store.namespace(namespace), {
      key: null,
      encryptionKey: null,
      wakeup: this._ctx.wakeup
    })
    await room.ready()
    const me = ctx.profile
    const boxKey = room.writerKeyPair?.publicKey
    if (boxKey === undefined) throw new RoostError('INTERNAL', 'The room writer has no key pair')
    const firstEpoch = newEpoch()
    const firstBox = sealEpochKey(firstEpoch.key, boxKey)
    if (firstBox === null) throw new RoostError('INTERNAL', 'Could not seal the first room key')
    await room.append([
      {
        name: '@roost/member-add',
        value: {
          writer: room.writerKey,
          profile: me.publicKey,
          name: me.name,
          role: ROLE.ADMIN,
          timestamp: Date.now(),
          ...me.claimWriter(
            room.discoveryKey,
            room.writerKey,
            memberBinding(room.discoveryKey, room.writerKey)
          ),
          boxKey
        }
      },
      {
        name: '@roost/epoch-keys',
        value: {
          rotate: true,
          boxes: [{ epoch: firstEpoch.id, writer: room.writerKey, box: firstBox }]
        }
      },
      { name: '@roost/room-info', value: { name, topic } },
      ...this._defaultMirrorOps()
    ])
    const entry: RoomEntry = {
      key: z32.encode(room.key),
      encryptionKey: b4a.toString(room.encryptionKey, 'hex'),
      namespace,
      joinedAt: Date.now(),
      lastRead: null
    }
    await room.close()
    await ctx.registry.put(entry)
    const joined = await this.openRoom(entry)
    ctx.events.emit('onDidChangeRooms', { room: entry.key })
    return this.roomDto(joined)
  }

  /** Leaves for good: the other members see us go, and we read nothing written after. */
  async leaveRoom(ref: string): Promise<void> {
    const joined = this._ctx.joined(ref)
    const me = await joined.room.member(this._ctx.profile.publicKey)
    if (me !== null && !me.removed && joined.room.writable) {
      if (
        me.role === ROLE.ADMIN &&
        (await countActiveAdmins(joined.room.view)) <= 1 &&
        (await joined.room.memberCount()) > 1
      )
        throw RoostError.lastAdmin()
      const length = await joined.room.append([
        { name: '@roost/member-leave', value: { profile: me.profile, timestamp: Date.now() } }
      ])
      // the others learn we left only from a peer that has it: give it a moment to go out
      if (this._ctx.network !== null)
        await joined.room.waitSent(length, AbortSignal.timeout(LEAVE_SEND_MS)).catch(() => {})
    }
    // noted before the room is forgotten: the record sync must not take it for one to open
    this._ctx.recordNotes.leftRoom(joined.id)
    await this.forgetRoom(joined)
  }

  /** Closes a room and forgets it here (left here, or on another device of the person). */
  async forgetRoom(joined: JoinedRoom): Promise<void> {
    await this.closeRoom(joined)
    this._ctx.search.forget(joined.id)
    await this._ctx.registry.delete(joined.id)
    await this._ctx.inviteCodes.deleteRoom(joined.id).catch(() => {
      // a damaged invites.json is reported by the invite verbs; leaving must not fail on it
    })
    this._ctx.events.emit('onDidChangeRooms', { room: joined.id })
  }

  async setRoomInfo(ref: string, update: RoomInfoUpdate): Promise<RoomDto> {
    const joined = this._ctx.joined(ref)
    const options = expectOptionalObject(update, 'room info')
    await this._ctx.requireAdmin(joined)
    const current = await joined.room.info()
    const name =
      options.name == null ? (current?.name ?? '') : validateName(options.name, 'Room name')
    const topic = options.topic == null ? (current?.topic ?? '') : validateTopic(options.topic)
    const mirrorFileCap =
      options.mirrorFileCap == null
        ? null
        : (expectOptionalWholeNumber(options.mirrorFileCap, 'mirrorFileCap') ?? null)
    await joined.room.append([
      { name: '@roost/room-info', value: { name, topic, timestamp: Date.now(), mirrorFileCap } }
    ])
    return this.roomDto(joined)
  }

  async setRoomNotify(ref: string, level: NotifyLevel): Promise<RoomDto> {
    const joined = this._ctx.joined(ref)
    if (level !== 'all' && level !== 'mentions' && level !== 'none') {
      throw RoostError.invalidArgument('notify level must be all, mentions or none')
    }
    joined.entry = { ...joined.entry, notify: level }
    await this._ctx.registry.put(joined.entry)
    this._ctx.recordNotes.changedSettings(joined.id)
    this._ctx.events.emit('onDidChangeRooms', { room: joined.id })
    return this.roomDto(joined)
  }

  async setRoomAutoDownload(ref: string, on: unknown): Promise<RoomDto> {
    const joined = this._ctx.joined(ref)
    if (typeof on !== 'boolean') throw RoostError.invalidArgument('autoDownload is true or false')
    joined.entry = { ...joined.entry, autoDownload: on }
    await this._ctx.registry.put(joined.entry)
    this._ctx.recordNotes.changedSettings(joined.id)
    this._ctx.events.emit('onDidChangeRooms', { room: joined.id })
    return this.roomDto(joined)
  }

  /** Opens a room of the registry and turns its changes into API events. */
  async openRoom(entry: RoomEntry): Promise<JoinedRoom> {
    const ctx = this._ctx
    const store = ctx.requireStore()
    const room = new Room(store.namespace(entry.namespace), {
      key: z32.decode(entry.key),
      encryptionKey: b4a.from(entry.encryptionKey, 'hex'),
      wakeup: ctx.wakeup
    })
    const joined = new JoinedRoom(room, entry, ctx.profile.publicKey, {
      network: ctx.network,
      troubleAfterMs: ctx.options.troubleAfterMs
    })
    try {
      await room.ready()
      // before the view is read: a fast-forward leaves it sparse, and the blocks it lacks come
      // from peers, who find us only once we have joined the room's topic
      if (ctx.network !== null) ctx.network.join(room.discoveryKey).catch(() => {})
      await joined.open()
    } catch (err) {
      if (ctx.network !== null) await ctx.network.leave(room.discoveryKey).catch(() => {})
      await joined.close().catch(() => {})
      throw err
    }
    ctx.rooms.set(entry.key, joined)
    ctx.search.attach(joined)
    const events = ctx.events
    joined.on('message', (message: Message) =>
      events.emit('onDidReceiveMessage', { room: entry.key, message })
    )
    joined.on('changed', (message: Message) =>
      events.emit('onDidChangeMessage', { room: entry.key, message })
    )
    joined.on('state', (e: { id: string; state: 'sent' }) =>
      events.emit('onDidChangeMessageState', { room: entry.key, id: e.id, state: e.state })
    )
    const healer = new SerialTask(
      () => this._healEpochs(joined),
      () => {}
    )
    joined.on('roster', () => {
      healer.request()
      events.emit('onDidChangeMembers', { room: entry.key })
      events.emit('onDidChangeRooms', { room: entry.key })
      this._admitters.update(joined).catch(() => {})
      ctx.mirroring?.mirror(room).catch(() => {})
      events.emit('onDidChangeMirrors', { room: entry.key })
    })
    joined.on('activity', () => events.emit('onDidChangeRooms', { room: entry.key }))
    joined.sync.on('change', () => events.emit('onDidChangeRooms', { room: entry.key }))
    joined.on('mirrors', () => events.emit('onDidChangeMirrors', { room: entry.key }))
    room.on('reorder', () => events.emit('onDidReorderMessages', { room: entry.key }))
    room.on('local-writer', () => ctx.mirroring?.mirror(room).catch(() => {}))
    joined.on('connection', (connection) =>
      events.emit('onDidChangeConnection', { room: entry.key, connection })
    )
    healer.request()
    if (ctx.network !== null) {
      await this._admitters.update(joined)
      await ctx.mirroring?.mirror(room)
    }
    return joined
  }

  /**
   * Opens the rooms a few at a time (each open waits mostly on storage), then lists them in the
   * registry's order, as a one-by-one open did.
   */
  async openAll(entries: readonly RoomEntry[]): Promise<void> {
    await eachLimited(entries, ROOMS_OPENING_AT_ONCE, async (entry) => {
      await this.openRoom(entry)
    })
    const rooms = this._ctx.rooms
    const opened = entries.flatMap((e) => {
      const joined = rooms.get(e.key)
      return joined === undefined ? [] : [joined]
    })
    rooms.clear()
    for (const joined of opened) rooms.set(joined.id, joined)
  }

  async closeRoom(joined: JoinedRoom): Promise<void> {
    this._ctx.rooms.delete(joined.id)
    this._ctx.search.detach(joined.id)
    await this._admitters.remove(joined.id)
    if (this._ctx.network !== null) await this._ctx.network.leave(joined.room.discoveryKey)
    await joined.close()
  }

  async closeAll(): Promise<void> {
    const closing = [...this._ctx.rooms.values()].map((joined) => joined.close())
    this._ctx.rooms.clear()
    const failed = (await Promise.allSettled(closing)).find((r) => r.status === 'rejected')
    if (failed !== undefined) throw failed.reason
  }

  async roomDto(joined: JoinedRoom): Promise<RoomDto> {
    if (joined.room.failure !== null) throw this._ctx.roomStopped(joined)
    const room = joined.room
    const info = await room.info()
    const messageCount = await room.messageCount()
    const { messages } = await room.messagesBefore(null, 1)
    const [last = null] = await joined.readable(messages)
    let unread = messageCount
    if (joined.entry.lastRead !== null) {
      const read = await room.messageById(joined.entry.lastRead)
      if (read !== null) unread = Math.max(0, messageCount - read.seq - 1)
    }
    const dto: RoomDto = {
      id: joined.id,
      name: info?.name ?? '',
      topic: info?.topic ?? '',
      role: await joined.myRole(),
      writable: room.writable,
      unlinked: await joined.unlinked(),
      memberCount: await room.memberCount(),
      messageCount,
      unread,
      lastMessage: last,
      connection: joined.connection(),
      syncing: joined.sync.state,
      notify: joined.entry.notify ?? 'all',
      mirrorFileCap: info?.mirrorFileCap || DEFAULT_MIRROR_FILE_CAP,
      autoDownload: joined.entry.autoDownload === true
    }
    this._lastDtos.set(joined, dto)
    return dto
  }

  /** Admins keep the epochs in line with the members (see epochs/epoch-ops.ts healing). */
  private async _healEpochs(joined: JoinedRoom): Promise<void> {
    if (this._ctx.closing || !this._ctx.rooms.has(joined.id) || !joined.room.writable) return
    if (!(await joined.isAdmin())) return
    const ops = await healing(joined.room, joined.keyring)
    if (ops.length > 0 && !this._ctx.closing) await joined.room.append(ops)
  }

  private _defaultMirrorOps(): Array<{ name: '@roost/mirror-add'; value: { key: Buffer } }> {
    const key = this._ctx.config.config.blindPeer
    return key === null ? [] : [{ name: '@roost/mirror-add', value: { key: z32.decode(key) } }]
  }
}
