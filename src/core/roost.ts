import fs from 'fs/promises'
import path from 'path'
import BlindPairing from 'blind-pairing'
import z32 from 'z32'
import Corestore from 'corestore'
import CoreStorage from 'hypercore-storage'
import type {
  DownloadOptions,
  EditOptions,
  FileTransfer,
  MessageId,
  RoomId,
  SearchOptions,
  SendFileOptions,
  StageUploadOptions,
  Config,
  CreateRoomOptions,
  Invite,
  InitOptions,
  Device,
  DeviceLink,
  LinkDeviceOptions,
  InviteOptions,
  JoinOptions,
  Listener,
  Member,
  Message,
  MessagePage,
  MessagesOptions,
  Mirror,
  NotifyLevel,
  Profile,
  Role,
  RosterChange,
  RosterChangesOptions,
  Room as RoomDto,
  RoomInfoUpdate,
  RoostApi,
  RoostEvents,
  SendOptions,
  Status,
  Unsubscribe
} from '../shared/api/contract.js'
import { serveApi } from '../shared/rpc/serve-api.js'
import { ControlServer } from './control/control-server.js'
import type { ApiEvents } from './events.js'
import { DevicesService } from './services/devices-service.js'
import { Mirroring } from './mirrors/mirroring.js'
import { Network } from './network/network.js'
import { diskFullOr } from './storage/disk-full.js'
import { flushMemtables } from './storage/store-sync.js'
import { guardReplicatorClose } from './storage/replicator-close-guard.js'
import type { Room } from './rooms/room.js'
import { Admitters } from './services/admitters.js'
import { CoreContext, type RoostOptions } from './services/core-context.js'
import { InvitesService } from './services/invites-service.js'
import { MembersService } from './services/members-service.js'
import { ConversationService } from './services/conversation-service.js'
import { MessagesService } from './services/messages-service.js'
import { MirrorsService } from './services/mirrors-service.js'
import { RoomsService } from './services/rooms-service.js'
import { SearchService } from './services/search-service.js'
import { StatusService } from './services/status-service.js'
import { FilesService } from './services/files-service.js'
import { RecordService } from './services/record-service.js'
import type { PersonalRecord } from './record/personal-record.js'

export type { RoostOptions } from './services/core-context.js'

/** blind-pairing's default poll is 7 minutes. */
const PAIRING_POLL_MS = 2000

guardReplicatorClose()

/**
 * RocksDB memtables (two of them) hold every written value until they flush, file blocks too:
 * at hypercore-storage's 64 MiB a 2 GiB transfer peaked at 308 MB RSS, at 8 MiB at 249 MB,
 * with the same throughput (npm run bench -- --files-only --files-big-mib=2048).
 */
const STORE_WRITE_BUFFER_BYTES = 8 * 1024 * 1024
/** How long the rooms may take to close while peers can still answer their reads. */
const ROOMS_CLOSE_GRACE_MS = 5000

/** Whether `promise` settles within `ms` (it is left running either way). */
async function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
  const settled = promise.then(
    () => true as const,
    () => true as const
  )
  try {
    return await Promise.race([settled, late])
  } finally {
    clearTimeout(timer)
  }
}

/**
 * The engine for one data dir, as RoostApi: it opens and closes the shared resources and routes
 * each verb to the service that owns it (services/).
 */
export class Roost implements RoostApi {
  private _ctx: CoreContext
  private _control: ControlServer | null
  private _closing: Promise<void> | null
  private _admitters: Admitters
  private _rooms: RoomsService
  private _messages: MessagesService
  private _conversation: ConversationService
  private _search: SearchService
  private _members: MembersService
  private _devices: DevicesService
  private _invites: InvitesService
  private _mirrors: MirrorsService
  private _status: StatusService
  private _files: FilesService
  private _record: RecordService

  constructor(options: RoostOptions) {
    this._ctx = new CoreContext(options)
    this._control = null
    this._closing = null
    this._admitters = new Admitters(this._ctx)
    this._rooms = new RoomsService(this._ctx, this._admitters)
    this._messages = new MessagesService(this._ctx)
    this._conversation = new ConversationService(this._ctx)
    this._search = new SearchService(this._ctx)
    this._members = new MembersService(this._ctx)
    this._invites = new InvitesService(this._ctx, this._rooms)
    this._mirrors = new MirrorsService(this._ctx)
    this._status = new StatusService(this._ctx, this._mirrors)
    this._files = new FilesService(this._ctx, this._messages)
    this._record = new RecordService(this._ctx, this._rooms)
    this._devices = new DevicesService(this._ctx, this._rooms, this._record)
  }

  get dataDir(): string {
    return this._ctx.dataDir
  }
  get options(): RoostOptions {
    return this._ctx.options
  }
  get events(): ApiEvents {
    return this._ctx.events
  }
  get online(): boolean {
    return this._ctx.network !== null
  }

  /** Locks the data dir (DATA_DIR_IN_USE if another core has it), then opens everything. */
  async open(): Promise<void> {
    const ctx = this._ctx
    await fs.mkdir(ctx.dataDir, { recursive: true, mode: 0o700 })
    // clients wait until the rooms are open rather than talk to a half-open core
    this._control = await ControlServer.listen(
      ctx.dataDir,
      (transport) => serveApi(this, transport),
      { serveWhenReady: true }
    )
    try {
      ctx.store = new Corestore(
        new CoreStorage(path.join(ctx.dataDir, 'store'), {
          writeBufferSize: STORE_WRITE_BUFFER_BYTES
        })
      )
      await Promise.all([
        ctx.profile.load(),
        ctx.registry.load(),
        ctx.config.load(),
        ctx.recordFile.load(),
        this._files.registry.load(),
        this._files.sending.staging.clear(),
        ctx.store.ready()
      ])
      if (!ctx.options.offline) {
        ctx.network = new Network(ctx.store, {
          ...ctx.options,
          wakeup: ctx.wakeup,
          relays: () => this._mirrors.relayKeys()
        })
        ctx.pairing = new BlindPairing(ctx.network.swarm, { poll: PAIRING_POLL_MS })
        // a room whose view a restored device has not read yet: ask the profile's blind peer
        const ownBlindPeer = (): Buffer[] => {
          const key = ctx.config.config.blindPeer
          return key === null ? [] : [z32.decode(key)]
        }
        ctx.mirroring = new Mirroring(
          ctx.network.swarm.dht,
          ctx.store,
          ctx.network.swarm.keyPair,
          ownBlindPeer
        )
      }
      await this._rooms.openAll(ctx.registry.entries)
      await this._record.open()
      if (!ctx.options.offline) this._files.resumeAll()
      this._control.ready()
    } catch (err) {
      await this.close()
      throw diskFullOr(err, ctx.dataDir)
    }
  }

  /** Resolves when every room (and invite answerer) is announced on the DHT. */
  async flush(): Promise<void> {
    await this._ctx.network?.flush()
  }

  /** The room's engine object, for tests and tools inside the core. */
  roomEngine(id: string): Room {
    return this._ctx.joined(id).room
  }

  /** The person's record engine, for tests and tools inside the core; null without one. */
  recordEngine(): PersonalRecord | null {
    return this._record.record
  }

  close(): Promise<void> {
    if (this._closing === null) this._closing = this._close()
    return this._closing
  }

  private async _close(): Promise<void> {
    const ctx = this._ctx
    this._control?.closing()
    ctx.closing = true
    await this._admitters.closeAll()
    await this._devices.closeAll()
    await this._record.finish()
    await this._files.closeAll()
    if (ctx.pairing !== null) await ctx.pairing.close()
    if (ctx.mirroring !== null) await ctx.mirroring.close()
    await this._record.close()
    // the rooms before the network: after a fast-forward the view is sparse, and a read inside
    // apply may wait for a view block only a peer has; autobase's close waits for that apply
    const rooms = this._rooms.closeAll()
    const closedInTime = await settlesWithin(rooms, ROOMS_CLOSE_GRACE_MS)
    if (ctx.network !== null) await ctx.network.destroy()
    // no peer sent it: closing the store cancels the read, and the rooms finish closing
    if (!closedInTime) await ctx.store?.close().catch(() => {})
    await rooms
    ctx.wakeup.destroy()
    // after the rooms: a read it has queued may wait on a view block only a peer has
    await ctx.search.close().catch(() => {})
    if (ctx.store !== null) {
      // what is not flushed stays in the WAL, just slower to reopen: a full disk must not stop close
      await flushMemtables(ctx.store).catch(() => {})
      await ctx.store.close()
    }
    await ctx.registry.flush()
    if (this._control !== null) await this._control.close()
  }

  profile(): Promise<Profile | null> {
    return this._members.profile()
  }
  async init(opts: InitOptions): Promise<Profile> {
    const link = (opts as { link?: unknown } | null)?.link
    if (link !== undefined) {
      const profile = await this._devices.initLinked({ ...opts, link: link as string })
      await this._record.open()
      return profile
    }
    const { profile, restored, timeoutMs } = await this._members.init(opts)
    await this._record.open({ restored })
    if (restored && this.online) await this._record.join(timeoutMs)
    return (await this._members.profile()) ?? profile
  }
  devices(): Promise<Device[]> {
    return this._devices.devices()
  }
  linkDevice(opts?: LinkDeviceOptions): Promise<DeviceLink> {
    return this._devices.linkDevice(opts)
  }
  unlinkDevice(id: string): Promise<void> {
    return this._devices.unlinkDevice(id)
  }
  phrase(): Promise<string> {
    return this._members.phrase()
  }
  setName(name: string): Promise<Profile> {
    return this._members.setName(name)
  }

  rooms(): Promise<RoomDto[]> {
    return this._rooms.rooms()
  }
  room(ref: string): Promise<RoomDto> {
    return this._rooms.room(ref)
  }
  resolveRoom(ref: string): Promise<string> {
    return this._rooms.resolveRoom(ref)
  }
  createRoom(opts: CreateRoomOptions): Promise<RoomDto> {
    return this._rooms.createRoom(opts)
  }
  leaveRoom(ref: string): Promise<void> {
    return this._rooms.leaveRoom(ref)
  }
  setRoomInfo(ref: string, update: RoomInfoUpdate): Promise<RoomDto> {
    return this._rooms.setRoomInfo(ref, update)
  }
  setRoomNotify(ref: string, level: NotifyLevel): Promise<RoomDto> {
    return this._rooms.setRoomNotify(ref, level)
  }

  setRoomAutoDownload(ref: string, on: boolean): Promise<RoomDto> {
    return this._rooms.setRoomAutoDownload(ref, on)
  }

  messages(ref: string, opts?: MessagesOptions): Promise<MessagePage> {
    return this._messages.messages(ref, opts)
  }
  send(ref: string, opts: SendOptions): Promise<Message> {
    return this._messages.send(ref, opts)
  }
  waitSent(ref: string, id: string): Promise<Message> {
    return this._messages.waitSent(ref, id)
  }
  markRead(ref: string, id: string): Promise<void> {
    return this._messages.markRead(ref, id)
  }
  edit(ref: string, id: string, opts: EditOptions): Promise<Message> {
    return this._conversation.edit(ref, id, opts)
  }
  delete(ref: string, id: string): Promise<Message> {
    return this._conversation.delete(ref, id)
  }
  react(ref: string, id: string, emoji: string, on: boolean): Promise<Message> {
    return this._conversation.react(ref, id, emoji, on)
  }
  pin(ref: string, id: string, on: boolean): Promise<Message> {
    return this._conversation.pin(ref, id, on)
  }
  pins(ref: string): Promise<Message[]> {
    return this._conversation.pins(ref)
  }
  search(query: string, opts?: SearchOptions): Promise<Message[]> {
    return this._search.search(query, opts)
  }

  sendFile(room: RoomId, opts: SendFileOptions): Promise<Message> {
    return this._files.sendFile(room, opts)
  }

  stageUpload(opts: StageUploadOptions): Promise<{ staged: string; bytes: number }> {
    return this._files.stageUpload(opts)
  }

  files(room: RoomId): Promise<FileTransfer[]> {
    return this._files.files(room)
  }

  fileTransfer(room: RoomId, id: MessageId): Promise<FileTransfer> {
    return this._files.fileTransfer(room, id)
  }

  download(room: RoomId, id: MessageId, opts?: DownloadOptions): Promise<FileTransfer> {
    return this._files.download(room, id, opts)
  }

  cancelSend(room: RoomId, upload: string, staged?: string): Promise<boolean> {
    return this._files.cancelSend(room, upload, staged)
  }

  cancelDownload(room: RoomId, id: MessageId): Promise<FileTransfer> {
    return this._files.cancelDownload(room, id)
  }

  members(ref: string): Promise<Member[]> {
    return this._members.members(ref)
  }
  rosterChanges(ref: string, opts?: RosterChangesOptions): Promise<RosterChange[]> {
    return this._members.rosterChanges(ref, opts)
  }
  removeMember(ref: string, profileId: string): Promise<void> {
    return this._members.removeMember(ref, profileId)
  }
  setRole(ref: string, profileId: string, role: Role): Promise<void> {
    return this._members.setRole(ref, profileId, role)
  }

  createInvite(ref: string, opts?: InviteOptions): Promise<Invite> {
    return this._invites.createInvite(ref, opts)
  }
  invites(ref: string): Promise<Invite[]> {
    return this._invites.invites(ref)
  }
  revokeInvite(ref: string, id: string): Promise<void> {
    return this._invites.revokeInvite(ref, id)
  }
  join(code: string, opts?: JoinOptions): Promise<RoomDto> {
    return this._invites.join(code, opts)
  }

  addMirror(ref: string, key: string): Promise<Mirror[]> {
    return this._mirrors.addMirror(ref, key)
  }
  removeMirror(ref: string, key: string): Promise<Mirror[]> {
    return this._mirrors.removeMirror(ref, key)
  }
  mirrors(ref: string): Promise<Mirror[]> {
    return this._mirrors.mirrors(ref)
  }
  config(): Promise<Config> {
    return this._mirrors.config()
  }
  setConfig(patch: Partial<Config>): Promise<Config> {
    return this._mirrors.setConfig(patch)
  }

  status(): Promise<Status> {
    return this._status.status()
  }

  onDidChangeRooms(listener: Listener<RoostEvents['onDidChangeRooms']>): Unsubscribe {
    return this.events.subscribe('onDidChangeRooms', listener)
  }
  onDidReceiveMessage(listener: Listener<RoostEvents['onDidReceiveMessage']>): Unsubscribe {
    return this.events.subscribe('onDidReceiveMessage', listener)
  }
  onDidChangeMessageState(listener: Listener<RoostEvents['onDidChangeMessageState']>): Unsubscribe {
    return this.events.subscribe('onDidChangeMessageState', listener)
  }
  onDidChangeMembers(listener: Listener<RoostEvents['onDidChangeMembers']>): Unsubscribe {
    return this.events.subscribe('onDidChangeMembers', listener)
  }
  onDidChangeConnection(listener: Listener<RoostEvents['onDidChangeConnection']>): Unsubscribe {
    return this.events.subscribe('onDidChangeConnection', listener)
  }
  onDidChangeMirrors(listener: Listener<RoostEvents['onDidChangeMirrors']>): Unsubscribe {
    return this.events.subscribe('onDidChangeMirrors', listener)
  }
  onDidReorderMessages(listener: Listener<RoostEvents['onDidReorderMessages']>): Unsubscribe {
    return this.events.subscribe('onDidReorderMessages', listener)
  }
  onDidChangeMessage(listener: Listener<RoostEvents['onDidChangeMessage']>): Unsubscribe {
    return this.events.subscribe('onDidChangeMessage', listener)
  }

  onDidChangeFileTransfer(listener: Listener<RoostEvents['onDidChangeFileTransfer']>): Unsubscribe {
    return this.events.subscribe('onDidChangeFileTransfer', listener)
  }

  onDidChangeDevices(listener: Listener<RoostEvents['onDidChangeDevices']>): Unsubscribe {
    return this.events.subscribe('onDidChangeDevices', listener)
  }
  onDidProgressSend(listener: Listener<RoostEvents['onDidProgressSend']>): Unsubscribe {
    return this.events.subscribe('onDidProgressSend', listener)
  }
}

/** Opens a core on a data dir; fails with DATA_DIR_IN_USE when another core holds it. */
export async function createRoost(options: RoostOptions): Promise<Roost> {
  const roost = new Roost(options)
  await roost.open()
  return roost
}
