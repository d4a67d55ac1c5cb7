import BlindPairing from 'blind-pairing'
import type { MemberRequest } from 'blind-pairing'
import b4a from 'b4a'
import c from 'compact-encoding'
import crypto from 'hypercore-crypto'
import Protomux from 'protomux'
import ProtomuxRPC from 'protomux-rpc'
import type { SwarmConnection } from 'hyperswarm'
import { extendProof, verifyWriterBinding } from '../identity/identity-key.js'
import type { ProfileStore } from '../identity/profile-store.js'
import { grants } from '../epochs/epoch-ops.js'
import { DENY } from '../invites/invite-admitter.js'
import type { Network } from '../network/network.js'
import type { JoinedRoom } from '../rooms/joined-room.js'
import {
  decodeExactly,
  encodeLinkCode,
  linkAdded,
  linkAuth,
  linkChallenge,
  linkGrant,
  linkRecord,
  linkRequest,
  linkRooms,
  linkTopic,
  linkWriters,
  LINK_PROTOCOL,
  type LinkAuth
} from './link-protocol.js'

/** How long a link code works unless asked otherwise: long enough to type it on a phone. */
export const LINK_EXPIRES_MS = 10 * 60_000

export interface LinkerHost {
  network: Network
  pairing: BlindPairing
  profile: ProfileStore
  /** The rooms this device is in, running. */
  rooms(): Iterable<JoinedRoom>
  /** The person's record's keys, null where this device has no record. */
  record(): { key: Buffer; encryptionKey: Buffer } | null
  /** The new device's writers were appended: it is listed. */
  onAdded(device: Buffer): void
  /** The new device has the rooms and can write in them: this one may stop serving them. */
  onLinked(device: Buffer): void
}

/**
 * One link code from this device: answers one new device over blind-pairing with a proof,
 * then, on the link's topic, hands that device (and only it, by its device key's signature on
 * this connection) the rooms' keys and appends its writers to each room with the epoch keys
 * sealed to them. Single use; ends at its expiry or when the new device has its writers.
 */
export class DeviceLinker {
  readonly code: string
  readonly expires: number
  /** True once a device linked with this code, false if it expired or closed first. */
  readonly done: Promise<boolean>
  private _settle: (linked: boolean) => void
  private _host: LinkerHost
  private _key: Buffer
  private _topic: Buffer
  private _inviteKeyPair: { publicKey: Buffer; secretKey: Buffer }
  private _member: ReturnType<BlindPairing['addMember']>
  /** The device this link was given to, once it asked. */
  private _device: Buffer | null
  private _used: boolean
  private _timer: NodeJS.Timeout
  private _onConnection: (conn: SwarmConnection) => void
  private _closed: Promise<void> | null
  private _onClose: () => void

  constructor(host: LinkerHost, expiresInMs: number, onClose: () => void) {
    this._host = host
    this._onClose = onClose
    let settle: (linked: boolean) => void = () => {}
    this.done = new Promise((resolve) => (settle = resolve))
    this._settle = settle
    this._key = crypto.randomBytes(32)
    this._topic = linkTopic(this._key)
    this.expires = Date.now() + expiresInMs
    const invite = BlindPairing.createInvite(this._key, { expires: this.expires })
    this._inviteKeyPair = crypto.keyPair(invite.seed)
    this.code = encodeLinkCode(invite.invite)
    this._device = null
    this._used = false
    this._closed = null
    this._member = host.pairing.addMember({
      discoveryKey: invite.discoveryKey,
      onadd: (request) => this._answer(request)
    })
    this._onConnection = (conn) => this._pair(conn)
    host.network.swarm.on('connection', this._onConnection)
    for (const conn of host.network.swarm.connections) this._pair(conn)
    host.network.join(this._topic).catch(() => {})
    this._timer = setTimeout(() => void this.close(), expiresInMs)
  }

  close(): Promise<void> {
    if (this._closed === null) this._closed = this._close()
    return this._closed
  }

  private async _close(): Promise<void> {
    clearTimeout(this._timer)
    this._settle(false)
    this._host.network.swarm.off('connection', this._onConnection)
    for (const conn of this._host.network.swarm.connections)
      Protomux.from(conn).unpair({ protocol: LINK_PROTOCOL, id: this._topic })
    this._onClose()
    await this._member.close().catch(() => {})
    await this._host.network.leave(this._topic).catch(() => {})
  }

  private _answer(request: MemberRequest): void {
    if (this._closed !== null) return
    if (Date.now() >= this.expires) return request.deny({ status: DENY.EXPIRED })
    const asked = decodeExactly(linkRequest, request.open(this._inviteKeyPair.publicKey))
    if (asked === null) return request.deny({ status: DENY.REJECTED })
    if (this._used || (this._device !== null && !b4a.equals(this._device, asked.device)))
      return request.deny({ status: DENY.USED })
    this._device = asked.device
    const profile = this._host.profile
    const grant = c.encode(linkGrant, {
      proof: extendProof(asked.device, profile.device, profile.proof),
      name: profile.name,
      linker: this._host.network.swarm.keyPair.publicKey
    })
    request.confirm({
      key: this._key,
      encryptionKey: b4a.alloc(32),
      additional: { data: grant, signature: crypto.sign(grant, this._inviteKeyPair.secretKey) }
    })
  }

  private _pair(conn: SwarmConnection): void {
    Protomux.from(conn).pair({ protocol: LINK_PROTOCOL, id: this._topic }, () => this._serve(conn))
  }

  private _serve(conn: SwarmConnection): void {
    if (this._closed !== null) return
    const rpc = new ProtomuxRPC(conn, { protocol: LINK_PROTOCOL, id: this._topic })
    rpc.on('error', () => {})
    const authentic = (auth: LinkAuth): boolean => !this._used && this._signedByDevice(auth, conn)
    rpc.respond<Buffer | null, Buffer | null>('rooms', {}, (bytes) => {
      const auth = decodeExactly(linkAuth, bytes)
      if (auth === null || !authentic(auth)) throw new Error('not the linked device')
      const rooms = [...this._host.rooms()].map((j) => ({
        key: j.room.key,
        encryptionKey: j.room.encryptionKey
      }))
      return c.encode(linkRooms, { rooms })
    })
    rpc.respond<Buffer | null, Buffer | null>('record', {}, (bytes) => {
      const auth = decodeExactly(linkAuth, bytes)
      if (auth === null || !authentic(auth)) throw new Error('not the linked device')
      const keys = this._host.record()
      return keys === null ? null : c.encode(linkRecord, keys)
    })
    rpc.respond<Buffer | null, Buffer | null>('writers', {}, async (bytes) => {
      const request = decodeExactly(linkWriters, bytes)
      if (request === null || !authentic(request)) throw new Error('not the linked device')
      const rooms: Buffer[] = []
      for (const w of request.writers) if (await this._addWriter(w)) rooms.push(w.room)
      // used: the code keeps answering LINK_USED until it expires, but the rooms are not offered again
      this._used = true
      void this._host.network.leave(this._topic).catch(() => {})
      if (rooms.length > 0) this._host.onAdded(request.device)
      else this._finish()
      return c.encode(linkAdded, { rooms })
    })
    rpc.respond<Buffer | null, Buffer | null>('ready', {}, (bytes) => {
      const auth = decodeExactly(linkAuth, bytes)
      if (auth === null || !this._signedByDevice(auth, conn))
        throw new Error('not the linked device')
      if (this._device !== null) this._host.onLinked(this._device)
      this._finish()
      return null
    })
  }

  /** `auth` is the linked device's signature for this connection. */
  private _signedByDevice(auth: LinkAuth, conn: SwarmConnection): boolean {
    if (this._device === null || !b4a.equals(auth.device, this._device)) return false
    const challenge = linkChallenge(
      this._topic,
      this._host.network.swarm.keyPair.publicKey,
      conn.remotePublicKey
    )
    return crypto.verify(challenge, auth.signature, auth.device)
  }

  /** The new device has its rooms, or got none: the code still answers LINK_USED until it expires. */
  private _finish(): void {
    this._settle(true)
  }

  /** Appends the new device's writer in one room, with the epoch keys this device holds. */
  private async _addWriter(w: {
    room: Buffer
    writer: Buffer
    boxKey: Buffer
    binding: Buffer
  }): Promise<boolean> {
    const me = this._host.profile.publicKey
    const joined = [...this._host.rooms()].find((j) => b4a.equals(j.room.discoveryKey, w.room))
    if (joined === undefined || !joined.room.writable) return false
    const vouched = verifyWriterBinding(w.binding, w.room, w.writer, { identity: me })
    if (vouched === null || this._device === null || !b4a.equals(vouched.device, this._device))
      return false
    if ((await joined.room.writer(w.writer)) !== null) return true
    const record = { key: w.writer, profile: me, boxKey: w.boxKey }
    await joined.room.append([
      {
        name: '@roost/device-add',
        value: { writer: w.writer, boxKey: w.boxKey, binding: w.binding, timestamp: Date.now() }
      },
      ...grants(joined.keyring.held(), [record])
    ])
    return true
  }
}
