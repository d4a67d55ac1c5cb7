import fs from 'fs/promises'
import path from 'path'
import Autobase from 'autobase'
import b4a from 'b4a'
import BlindPairing, { type Member as PairingMember } from 'blind-pairing'
import Corestore from 'corestore'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import type {
  Config,
  CreateRoomOptions,
  Invite,
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
  Room as RoomDto,
  RoomInfoUpdate,
  RoostApi,
  RoostEvents,
  SendOptions,
  Status,
  Unsubscribe
} from '../shared/api/contract.js'
import { RoostError } from '../shared/api/errors.js'
import { serveApi } from '../shared/rpc/serve-api.js'
import { ConfigStore } from './config/config-store.js'
import { ControlServer } from './control/control-server.js'
import { Mirroring } from './mirrors/mirroring.js'
import { ApiEvents } from './events.js'
import { ProfileStore } from './identity/profile-store.js'
import { admitJoiner } from './invites/invite-admitter.js'
import { encodeInviteCode, inviteLink, parseInviteCode } from './invites/invite-code.js'
import { encodeJoinRequest } from './invites/join-request.js'
import { requestJoin } from './invites/request-join.js'
import { Network, type NetworkOptions } from './network/network.js'
import { countActiveAdmins, messageId } from './rooms/apply.js'
import { JoinedRoom } from './rooms/joined-room.js'
import { memberBinding, ROLE } from './rooms/ops.js'
import { Room } from './rooms/room.js'
import { RoomRegistry, type RoomEntry } from './rooms/room-registry.js'
import {
  decodeKey,
  expectOptionalObject,
  expectOptionalPositiveInt,
  expectString,
  validateMessageText,
  validateName,
  validateTopic
} from './validate.js'

export interface RoostOptions extends Omit<NetworkOptions, 'relays'> {
  dataDir: string
  /** For tests: how long no member may be reachable before a room reports trouble. */
  troubleAfterMs?: number
  /** No swarm: local reads and writes only (one-shot CLI commands). */
  offline?: boolean
}

const DEFAULT_PAGE = 50
const MAX_PAGE = 500
const DEFAULT_JOIN_TIMEOUT_MS = 30_000
/** blind-pairing's default poll is 7 minutes. */
const PAIRING_POLL_MS = 2000

/** The engine for one data dir: profile, store, rooms, swarm. Implements RoostApi. */
export class Roost implements RoostApi {
  readonly dataDir: string
  readonly options: RoostOptions
  readonly events: ApiEvents
  private _profile: ProfileStore
  private _registry: RoomRegistry
  private _config: ConfigStore
  private _mirroring: Mirroring | null
  private _control: ControlServer | null
  private _store: Corestore | null
  private _network: Network | null
  private _pairing: BlindPairing | null
  private _rooms: Map<string, JoinedRoom>
  private _admitters: Map<string, PairingMember>
  private _closing: Promise<void> | null
  /** Relay hints of invites being joined right now. */
  private _joinRelays: Set<Buffer>

  constructor(options: RoostOptions) {
    this.dataDir = path.resolve(options.dataDir)
    this.options = options
    this.events = new ApiEvents()
    this._profile = new ProfileStore(this.dataDir)
    this._registry = new RoomRegistry(this.dataDir)
    this._config = new ConfigStore(this.dataDir)
    this._mirroring = null
    this._control = null
    this._store = null
    this._network = null
    this._pairing = null
    this._rooms = new Map()
    this._admitters = new Map()
    this._closing = null
    this._joinRelays = new Set()
  }

  /** Locks the data dir (DATA_DIR_IN_USE if another core has it), then opens everything. */
  async open(): Promise<void> {
    await fs.mkdir(this.dataDir, { recursive: true, mode: 0o700 })
    this._control = await ControlServer.listen(this.dataDir, (transport) =>
      serveApi(this, transport)
    )
    try {
      await this._profile.load()
      await this._registry.load()
      await this._config.load()
      this._store = new Corestore(path.join(this.dataDir, 'store'))
      await this._store.ready()
      if (!this.options.offline) {
        this._network = new Network(this._store, {
          ...this.options,
          relays: () => this._relayKeys()
        })
        this._pairing = new BlindPairing(this._network.swarm, { poll: PAIRING_POLL_MS })
        this._mirroring = new Mirroring(
          this._network.swarm.dht,
          this._store,
          this._network.swarm.keyPair
        )
      }
      for (const entry of this._registry.entries) await this._openRoom(entry)
    } catch (err) {
      await this.close()
      throw err
    }
  }

  get online(): boolean {
    return this._network !== null
  }

  /** Resolves when every room (and invite answerer) is announced on the DHT. */
  async flush(): Promise<void> {
    await this._network?.flush()
  }

  /** The room's engine object, for tests and tools inside the core. */
  roomEngine(id: string): Room {
    return this._joined(id).room
  }

  close(): Promise<void> {
    if (this._closing === null) this._closing = this._close()
    return this._closing
  }

  private async _close(): Promise<void> {
    for (const admitter of this._admitters.values()) await admitter.close()
    this._admitters.clear()
    if (this._pairing !== null) await this._pairing.close()
    if (this._mirroring !== null) await this._mirroring.close()
    if (this._network !== null) await this._network.destroy()
    for (const joined of this._rooms.values()) await joined.close()
    this._rooms.clear()
    if (this._store !== null) await this._store.close()
    await this._registry.flush()
    if (this._control !== null) await this._control.close()
  }

  // ---- profile ----

  async profile(): Promise<Profile | null> {
    return this._profile.profile
  }

  async init(opts: { name: string }): Promise<Profile> {
    const { name } = expectOptionalObject(opts, 'init options')
    return this._profile.create(validateName(name, 'Name'))
  }

  async setName(name: string): Promise<Profile> {
    const profile = await this._profile.setName(validateName(name, 'Name'))
    for (const joined of this._rooms.values()) {
      if (joined.room.writable) {
        await joined.room.append([{ name: '@roost/profile-update', value: { name: profile.name } }])
      }
    }
    return profile
  }

  // ---- rooms ----

  async rooms(): Promise<RoomDto[]> {
    const rooms: RoomDto[] = []
    for (const joined of this._rooms.values()) rooms.push(await this._roomDto(joined))
    return rooms.sort((a, b) => (b.lastMessage?.timestamp ?? 0) - (a.lastMessage?.timestamp ?? 0))
  }

  async room(ref: string): Promise<RoomDto> {
    return this._roomDto(this._joined(ref))
  }

  async resolveRoom(ref: string): Promise<string> {
    const text = expectString(ref, 'room').trim()
    if (this._rooms.has(text)) return text
    const matches: string[] = []
    for (const joined of this._rooms.values()) {
      const info = await joined.room.info()
      if (info !== null && info.name.toLowerCase() === text.toLowerCase()) matches.push(joined.id)
    }
    if (matches.length > 1) throw RoostError.roomAmbiguous(text)
    if (matches.length === 0) throw RoostError.roomNotFound(text)
    return matches[0]
  }

  async createRoom(opts: CreateRoomOptions): Promise<RoomDto> {
    const options = expectOptionalObject(opts, 'room options')
    const name = validateName(options.name, 'Room name')
    const topic = options.topic == null ? '' : validateTopic(options.topic)
    this._requireProfile()
    const store = this._requireStore()

    const namespace = b4a.toString(crypto.randomBytes(32), 'hex')
    const room = new Room(store.namespace(namespace), { key: null, encryptionKey: null })
    await room.ready()
    const me = this._profile
    await room.append([
      {
        name: '@roost/member-add',
        value: {
          writer: room.writerKey,
          profile: me.publicKey,
          name: me.name,
          role: ROLE.ADMIN,
          signature: me.sign(memberBinding(room.discoveryKey, room.writerKey))
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
    await this._registry.put(entry)
    const joined = await this._openRoom(entry)
    this.events.emit('onDidChangeRooms', { room: entry.key })
    return this._roomDto(joined)
  }

  async leaveRoom(ref: string): Promise<void> {
    const joined = this._joined(ref)
    await this._closeRoom(joined)
    await this._registry.delete(joined.id)
    this.events.emit('onDidChangeRooms', { room: joined.id })
  }

  async setRoomInfo(ref: string, update: RoomInfoUpdate): Promise<RoomDto> {
    const joined = this._joined(ref)
    const options = expectOptionalObject(update, 'room info')
    await this._requireAdmin(joined)
    const current = await joined.room.info()
    const name =
      options.name == null ? (current?.name ?? '') : validateName(options.name, 'Room name')
    const topic = options.topic == null ? (current?.topic ?? '') : validateTopic(options.topic)
    await joined.room.append([{ name: '@roost/room-info', value: { name, topic } }])
    return this._roomDto(joined)
  }

  async setRoomNotify(ref: string, level: NotifyLevel): Promise<RoomDto> {
    const joined = this._joined(ref)
    if (level !== 'all' && level !== 'mentions' && level !== 'none') {
      throw RoostError.invalidArgument('notify level must be all, mentions or none')
    }
    joined.entry = { ...joined.entry, notify: level }
    await this._registry.put(joined.entry)
    this.events.emit('onDidChangeRooms', { room: joined.id })
    return this._roomDto(joined)
  }

  // ---- messages ----

  async messages(ref: string, opts?: MessagesOptions): Promise<MessagePage> {
    const joined = this._joined(ref)
    const options = expectOptionalObject(opts, 'messages options')
    const limit = Math.min(
      MAX_PAGE,
      expectOptionalPositiveInt(options.limit, 'limit') ?? DEFAULT_PAGE
    )
    let beforeSeq: number | null = null
    if (options.before !== undefined && options.before !== null) {
      const id = expectString(options.before, 'before')
      const before = await joined.room.messageById(id)
      if (before === null) throw RoostError.messageNotFound(id)
      beforeSeq = before.seq
    }
    const page = await joined.room.messagesBefore(beforeSeq, limit)
    return { messages: page.messages.map((m) => joined.toMessage(m)), hasMore: page.hasMore }
  }

  async send(ref: string, opts: SendOptions): Promise<Message> {
    const joined = this._joined(ref)
    const options = expectOptionalObject(opts, 'send options')
    const text = validateMessageText(options.text)
    const replyTo =
      options.replyTo === undefined || options.replyTo === null
        ? null
        : expectString(options.replyTo, 'replyTo')
    if (!joined.room.writable) throw RoostError.notWritable()
    const length = await joined.room.append([
      { name: '@roost/message', value: { text, timestamp: Date.now(), replyTo } }
    ])
    const id = messageId(joined.room.writerKey, length - 1)
    const stored = await joined.room.messageById(id)
    if (stored === null)
      throw new RoostError('INTERNAL', 'The message was written but is not in the room view')
    this._setLastRead(joined, id)
    return joined.toMessage(stored)
  }

  async waitSent(ref: string, id: string): Promise<Message> {
    const joined = this._joined(ref)
    expectString(id, 'message id')
    const current = await joined.room.messageById(id)
    if (current === null) throw RoostError.messageNotFound(id)
    if (joined.stateOf(current.writer, current.id) !== 'sent') {
      await new Promise<void>((resolve) => {
        const onState = (event: { id: string }): void => {
          if (event.id !== id) return
          joined.off('state', onState)
          resolve()
        }
        joined.on('state', onState)
      })
    }
    return joined.toMessage((await joined.room.messageById(id)) ?? current)
  }

  async markRead(ref: string, id: string): Promise<void> {
    const joined = this._joined(ref)
    if ((await joined.room.messageById(expectString(id, 'message id'))) === null)
      throw RoostError.messageNotFound(id)
    this._setLastRead(joined, id)
    this.events.emit('onDidChangeRooms', { room: joined.id })
  }

  // ---- members ----

  async members(ref: string): Promise<Member[]> {
    const joined = this._joined(ref)
    return (await joined.room.members()).map((m) => joined.toMember(m))
  }

  async removeMember(ref: string, profileId: string): Promise<void> {
    const joined = this._joined(ref)
    await this._requireAdmin(joined)
    const target = await this._activeMember(joined, profileId)
    if (target.role === ROLE.ADMIN && (await countActiveAdmins(joined.room.view)) <= 1)
      throw RoostError.lastAdmin()
    await joined.room.append([{ name: '@roost/member-remove', value: { profile: target.profile } }])
  }

  async setRole(ref: string, profileId: string, role: Role): Promise<void> {
    const joined = this._joined(ref)
    if (role !== 'admin' && role !== 'member')
      throw RoostError.invalidArgument('role must be admin or member')
    await this._requireAdmin(joined)
    const target = await this._activeMember(joined, profileId)
    const wanted = role === 'admin' ? ROLE.ADMIN : ROLE.MEMBER
    if (target.role === wanted) return
    if (target.role === ROLE.ADMIN && (await countActiveAdmins(joined.room.view)) <= 1)
      throw RoostError.lastAdmin()
    await joined.room.append([
      { name: '@roost/role-set', value: { profile: target.profile, role: wanted } }
    ])
  }

  // ---- invites ----

  async createInvite(ref: string, opts?: InviteOptions): Promise<Invite> {
    const joined = this._joined(ref)
    const options = expectOptionalObject(opts, 'invite options')
    const expiresIn = expectOptionalPositiveInt(options.expiresIn, 'expiresIn')
    const uses = expectOptionalPositiveInt(options.uses, 'uses') ?? 0
    await this._requireAdmin(joined)
    const created = BlindPairing.createInvite(joined.room.key, {
      expires: expiresIn === undefined ? 0 : Date.now() + expiresIn
    })
    // the invite carries expiry in whole seconds: store what joiners will read
    const expires = BlindPairing.decodeInvite(created.invite).expires || 0
    await joined.room.append([
      {
        name: '@roost/invite-add',
        value: { id: created.id, publicKey: created.publicKey, expires, uses }
      }
    ])
    const stored = await joined.room.invite(created.id)
    if (stored === null)
      throw new RoostError('INTERNAL', 'The invite was written but is not in the room view')
    const code = encodeInviteCode(created.invite, await this._relayFor(joined))
    return { ...joined.toInvite(stored), code, link: inviteLink(code) }
  }

  async invites(ref: string): Promise<Invite[]> {
    const joined = this._joined(ref)
    return (await joined.room.invites()).map((i) => joined.toInvite(i))
  }

  async revokeInvite(ref: string, id: string): Promise<void> {
    const joined = this._joined(ref)
    await this._requireAdmin(joined)
    let inviteId: Buffer
    try {
      inviteId = z32.decode(expectString(id, 'invite id'))
    } catch {
      throw RoostError.inviteNotFound(String(id))
    }
    const invite = await joined.room.invite(inviteId)
    if (invite === null) throw RoostError.inviteNotFound(id)
    if (invite.revoked) return
    await joined.room.append([{ name: '@roost/invite-revoke', value: { id: inviteId } }])
  }

  async join(code: string, opts?: JoinOptions): Promise<RoomDto> {
    const options = expectOptionalObject(opts, 'join options')
    const timeout = expectOptionalPositiveInt(options.timeout, 'timeout') ?? DEFAULT_JOIN_TIMEOUT_MS
    const invite = parseInviteCode(code)
    if (invite.expires !== 0 && invite.expires <= Date.now()) throw RoostError.inviteExpired()
    this._requireProfile()
    for (const joined of this._rooms.values()) {
      if (b4a.equals(joined.room.discoveryKey, invite.discoveryKey)) return this._roomDto(joined)
    }
    const store = this._requireStore()
    if (this._pairing === null || this._network === null) {
      throw RoostError.invalidArgument(
        'Joining a room needs the network: this core was started offline'
      )
    }

    const namespace = b4a.toString(crypto.randomBytes(32), 'hex')
    const localCore = Autobase.getLocalCore(store.namespace(namespace))
    await localCore.ready()
    const writer = localCore.key
    await localCore.close()

    const me = this._profile
    const request = encodeJoinRequest({
      writer,
      profile: me.publicKey,
      name: me.name,
      signature: me.sign(memberBinding(invite.discoveryKey, writer))
    })
    // the invite's relay helps reach the admin until the room's own blind peers are known
    if (invite.relay !== null) this._joinRelays.add(invite.relay)
    let result
    try {
      result = await requestJoin(this._pairing, invite, request, timeout)
    } finally {
      if (invite.relay !== null) this._joinRelays.delete(invite.relay)
    }
    if (!b4a.equals(crypto.discoveryKey(result.key), invite.discoveryKey)) {
      throw RoostError.inviteInvalid('the admin answered for another room')
    }
    const entry: RoomEntry = {
      key: z32.encode(result.key),
      encryptionKey: b4a.toString(result.encryptionKey, 'hex'),
      namespace,
      joinedAt: Date.now(),
      lastRead: null
    }
    await this._registry.put(entry)
    const joined = await this._openRoom(entry)
    this.events.emit('onDidChangeRooms', { room: entry.key })
    const signal = AbortSignal.timeout(timeout)
    await joined.room.waitWritable(signal).catch(() => {
      // admitted, but the admin's member-add has not reached us yet: it will, and sending waits for it
    })
    return this._roomDto(joined)
  }

  // ---- blind peers ----

  async addMirror(ref: string, key: string): Promise<Mirror[]> {
    const joined = this._joined(ref)
    const mirrorKey = parseBlindPeerKey(key)
    await this._requireAdmin(joined)
    const active = await joined.room.mirrors()
    if (!active.some((m) => b4a.equals(m.key, mirrorKey))) {
      await joined.room.append([{ name: '@roost/mirror-add', value: { key: mirrorKey } }])
    }
    return joined.mirrors()
  }

  async removeMirror(ref: string, key: string): Promise<Mirror[]> {
    const joined = this._joined(ref)
    const mirrorKey = parseBlindPeerKey(key)
    await this._requireAdmin(joined)
    const active = await joined.room.mirrors()
    if (!active.some((m) => b4a.equals(m.key, mirrorKey))) throw RoostError.mirrorNotFound(key)
    await joined.room.append([{ name: '@roost/mirror-remove', value: { key: mirrorKey } }])
    return joined.mirrors()
  }

  async mirrors(ref: string): Promise<Mirror[]> {
    return this._joined(ref).mirrors()
  }

  async config(): Promise<Config> {
    return this._config.config
  }

  async setConfig(patch: Partial<Config>): Promise<Config> {
    const options = expectOptionalObject(patch, 'config')
    const update: Partial<Config> = {}
    if (options.blindPeer !== undefined) {
      update.blindPeer =
        options.blindPeer === null
          ? null
          : z32.encode(parseBlindPeerKey(expectString(options.blindPeer, 'blindPeer')))
    }
    if (options.relay !== undefined) {
      update.relay =
        options.relay === null
          ? null
          : z32.encode(parseBlindPeerKey(expectString(options.relay, 'relay')))
    }
    const config = await this._config.update(update)
    // peers that only a relay can reach were given up on: dial them again through the new one
    if (update.relay !== undefined) void this._network?.retry()
    return config
  }

  /** The relay a joiner of this room may use: ours if set, else the room's first blind peer. */
  private async _relayFor(joined: JoinedRoom): Promise<Buffer | null> {
    const configured = this._config.config.relay
    if (configured !== null) return z32.decode(configured)
    const [mirror] = await joined.room.mirrors()
    return mirror?.key ?? null
  }

  /**
   * Relays this device may use, best first: the configured one, rooms' blind peers, and last the
   * hints of invites being joined (an invite's hint is unauthenticated: it only helps to reach
   * that room's admin when we know no relay of our own).
   */
  private _relayKeys(): Buffer[] {
    const keys = new Map<string, Buffer>()
    const configured = this._config.config.relay
    if (configured !== null) keys.set(configured, z32.decode(configured))
    for (const joined of this._rooms.values()) {
      for (const key of joined.mirrorKeys) keys.set(z32.encode(key), key)
    }
    for (const key of this._joinRelays) keys.set(z32.encode(key), key)
    return [...keys.values()]
  }

  private _defaultMirrorOps(): Array<{ name: '@roost/mirror-add'; value: { key: Buffer } }> {
    const key = this._config.config.blindPeer
    return key === null ? [] : [{ name: '@roost/mirror-add', value: { key: z32.decode(key) } }]
  }

  // ---- status ----

  async status(): Promise<Status> {
    const rooms = []
    for (const joined of this._rooms.values()) {
      const info = await joined.room.info()
      rooms.push({
        room: joined.id,
        name: info?.name ?? '',
        mirrors: await joined.mirrors(),
        connection: joined.connection(),
        peers: joined.peers()
      })
    }
    return {
      profile: this._profile.profile,
      online: this.online,
      dht: {
        bootstrap: this.options.bootstrap ?? null,
        host: this.options.host ?? null,
        firewalled: this._network?.firewalled ?? null,
        reachable: this._network?.dhtReachable ?? null,
        symmetricNat: this._network?.symmetricNat ?? null
      },
      relays: this._relayKeys().map((key) => z32.encode(key)),
      rooms
    }
  }

  // ---- events ----

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

  // ---- internals ----

  private async _openRoom(entry: RoomEntry): Promise<JoinedRoom> {
    const store = this._requireStore()
    const room = new Room(store.namespace(entry.namespace), {
      key: z32.decode(entry.key),
      encryptionKey: b4a.from(entry.encryptionKey, 'hex')
    })
    const joined = new JoinedRoom(room, entry, this._profile.publicKey, {
      network: this._network,
      troubleAfterMs: this.options.troubleAfterMs
    })
    await joined.open()
    this._rooms.set(entry.key, joined)
    joined.on('message', (message: Message) =>
      this.events.emit('onDidReceiveMessage', { room: entry.key, message })
    )
    joined.on('state', (e: { id: string; state: 'sent' }) =>
      this.events.emit('onDidChangeMessageState', { room: entry.key, id: e.id, state: e.state })
    )
    joined.on('roster', () => {
      this.events.emit('onDidChangeMembers', { room: entry.key })
      this.events.emit('onDidChangeRooms', { room: entry.key })
      this._updateAdmitter(joined).catch(() => {})
      this._mirroring?.mirror(room).catch(() => {})
      this.events.emit('onDidChangeMirrors', { room: entry.key })
    })
    joined.on('activity', () => this.events.emit('onDidChangeRooms', { room: entry.key }))
    joined.on('mirrors', () => this.events.emit('onDidChangeMirrors', { room: entry.key }))
    room.on('local-writer', () => this._mirroring?.mirror(room).catch(() => {}))
    joined.on('connection', (connection) =>
      this.events.emit('onDidChangeConnection', { room: entry.key, connection })
    )
    if (this._network !== null) {
      this._network.join(room.discoveryKey).catch(() => {})
      await this._updateAdmitter(joined)
      await this._mirroring?.mirror(room)
    }
    return joined
  }

  private async _closeRoom(joined: JoinedRoom): Promise<void> {
    this._rooms.delete(joined.id)
    const admitter = this._admitters.get(joined.id)
    if (admitter !== undefined) {
      this._admitters.delete(joined.id)
      await admitter.close()
    }
    if (this._network !== null) await this._network.leave(joined.room.discoveryKey)
    await joined.close()
  }

  /** Admins answer joiners; the answerer comes and goes with the admin role. */
  private async _updateAdmitter(joined: JoinedRoom): Promise<void> {
    if (this._pairing === null || this._closing !== null || !this._rooms.has(joined.id)) return
    const isAdmin = await joined.isAdmin()
    // the core may have started closing, or the room been left, while we read the role
    if (this._closing !== null || !this._rooms.has(joined.id)) return
    const current = this._admitters.get(joined.id)
    if (isAdmin && current === undefined) {
      const room = joined.room
      const admitter = this._pairing.addMember({
        discoveryKey: room.discoveryKey,
        onadd: (request) => admitJoiner(room, request).catch(() => {})
      })
      this._admitters.set(joined.id, admitter)
    } else if (!isAdmin && current !== undefined) {
      this._admitters.delete(joined.id)
      await current.close()
    }
  }

  private async _roomDto(joined: JoinedRoom): Promise<RoomDto> {
    const room = joined.room
    const info = await room.info()
    const messageCount = await room.messageCount()
    const { messages } = await room.messagesBefore(null, 1)
    const last = messages.length > 0 ? joined.toMessage(messages[0]) : null
    let unread = messageCount
    if (joined.entry.lastRead !== null) {
      const read = await room.messageById(joined.entry.lastRead)
      if (read !== null) unread = Math.max(0, messageCount - read.seq - 1)
    }
    return {
      id: joined.id,
      name: info?.name ?? '',
      topic: info?.topic ?? '',
      role: await joined.myRole(),
      writable: room.writable,
      memberCount: await room.memberCount(),
      messageCount,
      unread,
      lastMessage: last,
      connection: joined.connection(),
      notify: joined.entry.notify ?? 'all'
    }
  }

  private _setLastRead(joined: JoinedRoom, id: string): void {
    joined.entry = this._registry.setLastRead(joined.id, id) ?? joined.entry
  }

  private _joined(ref: unknown): JoinedRoom {
    const text = expectString(ref, 'room').trim()
    const byKey = this._rooms.get(text)
    if (byKey !== undefined) return byKey
    throw RoostError.roomNotFound(text)
  }

  private async _requireAdmin(joined: JoinedRoom): Promise<void> {
    if (!(await joined.isAdmin())) throw RoostError.notAdmin()
  }

  private async _activeMember(joined: JoinedRoom, profileId: unknown) {
    const id = expectString(profileId, 'profile')
    const key = decodeKey(id)
    const member = key === null ? null : await joined.room.member(key)
    if (member === null || member.removed) throw RoostError.memberNotFound(id)
    return member
  }

  private _requireProfile(): void {
    if (this._profile.profile === null) throw RoostError.notInitialized()
  }

  private _requireStore(): Corestore {
    if (this._closing !== null || this._store === null) throw RoostError.closed()
    return this._store
  }
}

/** Opens a core on a data dir; fails with DATA_DIR_IN_USE when another core holds it. */
export async function createRoost(options: RoostOptions): Promise<Roost> {
  const roost = new Roost(options)
  await roost.open()
  return roost
}

function parseBlindPeerKey(key: unknown): Buffer {
  const text = typeof key === 'string' ? key.trim() : ''
  const decoded = decodeKey(text)
  if (decoded === null) throw RoostError.blindPeerKeyInvalid(String(key))
  return decoded
}
