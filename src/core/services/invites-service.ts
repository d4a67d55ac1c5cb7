import Autobase from 'autobase'
import b4a from 'b4a'
import BlindPairing from 'blind-pairing'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import type {
  Invite,
  InviteOptions,
  JoinOptions,
  Room as RoomDto
} from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { encodeInviteCode, parseInviteCode } from '../invites/invite-code.js'
import { encodeJoinRequest } from '../invites/join-request.js'
import { requestJoin } from '../invites/request-join.js'
import type { JoinedRoom } from '../rooms/joined-room.js'
import { memberBinding } from '../rooms/ops.js'
import type { RoomEntry } from '../rooms/room-registry.js'
import {
  decodeKey,
  expectOptionalObject,
  expectOptionalPositiveInt,
  expectString,
  validateInviteNote
} from '../validate.js'
import type { CoreContext } from './core-context.js'
import type { RoomsService } from './rooms-service.js'

const DEFAULT_JOIN_TIMEOUT_MS = 30_000

/** Making, listing and revoking invites, and joining a room with one. */
export class InvitesService {
  private _ctx: CoreContext
  private _rooms: RoomsService

  constructor(ctx: CoreContext, rooms: RoomsService) {
    this._ctx = ctx
    this._rooms = rooms
  }

  async createInvite(ref: string, opts?: InviteOptions): Promise<Invite> {
    const joined = this._ctx.joined(ref)
    const options = expectOptionalObject(opts, 'invite options')
    const expiresIn = expectOptionalPositiveInt(options.expiresIn, 'expiresIn')
    const uses = expectOptionalPositiveInt(options.uses, 'uses') ?? 0
    let forProfile: Buffer | null = null
    if (options.forProfile !== undefined && options.forProfile !== null) {
      const id = expectString(options.forProfile, 'forProfile')
      forProfile = decodeKey(id.trim())
      if (forProfile === null) throw RoostError.invalidArgument(`${id} is not a profile id`)
    }
    const note = validateInviteNote(options.note)
    await this._ctx.requireAdmin(joined)
    const codes = this._ctx.inviteCodes
    // a damaged invites.json refuses here, before the room holds an invite whose code we'd lose
    await codes.room(joined.id)
    const created = BlindPairing.createInvite(joined.room.key, {
      expires: expiresIn === undefined ? 0 : Date.now() + expiresIn
    })
    // the invite carries expiry in whole seconds: store what joiners will read
    const expires = BlindPairing.decodeInvite(created.invite).expires || 0
    await joined.room.append([
      {
        name: '@roost/invite-add',
        value: { id: created.id, publicKey: created.publicKey, expires, uses, forProfile }
      }
    ])
    const stored = await joined.room.invite(created.id)
    if (stored === null)
      throw new RoostError('INTERNAL', 'The invite was written but is not in the room view')
    const kept = { code: encodeInviteCode(created.invite, await this._relayFor(joined)), note }
    await codes.put(joined.id, z32.encode(created.id), kept)
    return joined.toInvite(stored, kept)
  }

  async invites(ref: string): Promise<Invite[]> {
    const joined = this._ctx.joined(ref)
    const kept = await this._ctx.inviteCodes.room(joined.id)
    return (await joined.room.invites()).map((i) =>
      joined.toInvite(i, kept[z32.encode(i.id)] ?? null)
    )
  }

  async revokeInvite(ref: string, id: string): Promise<void> {
    const joined = this._ctx.joined(ref)
    await this._ctx.requireAdmin(joined)
    let inviteId: Buffer
    try {
      inviteId = z32.decode(expectString(id, 'invite id'))
    } catch {
      throw RoostError.inviteNotFound(String(id))
    }
    const invite = await joined.room.invite(inviteId)
    if (invite === null) throw RoostError.inviteNotFound(id)
    if (!invite.revoked)
      await joined.room.append([{ name: '@roost/invite-revoke', value: { id: inviteId } }])
    await this._ctx.inviteCodes.dropCode(joined.id, z32.encode(inviteId))
  }

  async join(code: string, opts?: JoinOptions): Promise<RoomDto> {
    const ctx = this._ctx
    const options = expectOptionalObject(opts, 'join options')
    const timeout = expectOptionalPositiveInt(options.timeout, 'timeout') ?? DEFAULT_JOIN_TIMEOUT_MS
    const invite = parseInviteCode(code)
    if (invite.expires !== 0 && invite.expires <= Date.now()) throw RoostError.inviteExpired()
    ctx.requireProfile()
    // a room we are in already; one we were removed from stays readable here while we ask again
    let removedFrom: JoinedRoom | null = null
    for (const joined of ctx.runningRooms()) {
      if (!b4a.equals(joined.room.discoveryKey, invite.discoveryKey)) continue
      if ((await joined.myRole()) !== null) return this._rooms.roomDto(joined)
      removedFrom = joined
    }
    const store = ctx.requireStore()
    if (ctx.pairing === null || ctx.network === null) {
      throw RoostError.invalidArgument(
        'Joining a room needs the network: this core was started offline'
      )
    }

    const namespace = b4a.toString(crypto.randomBytes(32), 'hex')
    const localCore = Autobase.getLocalCore(store.namespace(namespace))
    await localCore.ready()
    const writer = localCore.key
    const boxKey = localCore.keyPair?.publicKey
    await localCore.close()
    if (boxKey === undefined)
      throw new RoostError('INTERNAL', 'The new writer core has no key pair')

    const me = ctx.profile
    const request = encodeJoinRequest({
      writer,
      profile: me.publicKey,
      name: me.name,
      ...me.claimWriter(invite.discoveryKey, writer, memberBinding(invite.discoveryKey, writer)),
      boxKey
    })
    // the invite's relay helps reach the admin until the room's own blind peers are known
    if (invite.relay !== null) ctx.joinRelays.add(invite.relay)
    let result
    try {
      result = await requestJoin(ctx.pairing, invite, request, timeout)
    } finally {
      if (invite.relay !== null) ctx.joinRelays.delete(invite.relay)
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
    if (removedFrom !== null) await this._rooms.closeRoom(removedFrom)
    await ctx.registry.put(entry)
    const joined = await this._rooms.openRoom(entry)
    ctx.events.emit('onDidChangeRooms', { room: entry.key })
    const signal = AbortSignal.timeout(timeout)
    await joined.room.waitWritable(signal).catch(() => {
      // admitted, but the admin's member-add has not reached us yet: it will, and sending waits for it
    })
    return this._rooms.roomDto(joined)
  }

  /** The relay a joiner of this room may use: ours if set, else the room's first blind peer. */
  private async _relayFor(joined: JoinedRoom): Promise<Buffer | null> {
    const configured = this._ctx.config.config.relay
    if (configured !== null) return z32.decode(configured)
    const [mirror] = await joined.room.mirrors()
    return mirror?.key ?? null
  }
}
