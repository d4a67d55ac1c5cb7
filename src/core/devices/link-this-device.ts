import type BlindPairing from 'blind-pairing'
import b4a from 'b4a'
import c from 'compact-encoding'
import crypto from 'hypercore-crypto'
import ProtomuxRPC from 'protomux-rpc'
import type { SwarmConnection } from 'hyperswarm'
import { RoostError } from '../../shared/api/errors.js'
import { bindWriter, verifyDeviceProof, type KeyPair } from '../identity/identity-key.js'
import type { LinkedDevice } from '../identity/profile-store.js'
import { DENY } from '../invites/invite-admitter.js'
import { requestJoin } from '../invites/request-join.js'
import type { Network } from '../network/network.js'
import {
  decodeExactly,
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
  parseLinkCode,
  type LinkedRoomKeys,
  type LinkedWriter
} from './link-protocol.js'

export interface LinkingHost {
  network: Network
  pairing: BlindPairing
  /** Writes this device's profile (linked: no identity secret). */
  becomeDevice(device: LinkedDevice): Promise<void>
  /** Keeps where the person's record is (a linking device from before records has none). */
  keepRecord(keys: LinkedRoomKeys): Promise<void>
  /** Opens a room from its keys and says which writer this device has in it. */
  openRoom(keys: LinkedRoomKeys): Promise<LinkedRoom>
}

export interface LinkedRoom {
  discoveryKey: Buffer
  writer: Buffer
  boxKey: Buffer
  /** Resolves once this device's writer is in the room's view: it has the history up to it. */
  untilWritable(signal: AbortSignal): Promise<void>
}

/** Rejections of a link code, as blind-pairing and our linker give them. */
const LINK_ERRORS = {
  [DENY.USED]: () => RoostError.linkUsed(),
  [DENY.EXPIRED]: () => RoostError.linkExpired(),
  rejected: () => RoostError.linkInvalid('the other device refused it')
}

/**
 * This device, from a link code made on another device of the same person: pairs for a device
 * proof, writes the profile, gets the rooms' keys and opens them, and has the other device add
 * this device's writers. JOIN_TIMEOUT when the other device is not reached in `timeoutMs`.
 * Returns how many rooms this device was added to as a writer.
 */
export async function linkThisDevice(
  host: LinkingHost,
  code: string,
  timeoutMs: number
): Promise<{ rooms: number; added: number }> {
  const link = parseLinkCode(code)
  if (link.expires !== 0 && link.expires <= Date.now()) throw RoostError.linkExpired()
  const deadline = AbortSignal.timeout(timeoutMs)
  const device = crypto.keyPair()
  const result = await requestJoin(
    host.pairing,
    { invite: link.invite, discoveryKey: link.discoveryKey, expires: link.expires, relay: null },
    c.encode(linkRequest, { device: device.publicKey }),
    timeoutMs,
    LINK_ERRORS
  ).catch((err: unknown) => {
    throw (err as RoostError).code === 'JOIN_TIMEOUT' ? RoostError.linkTimeout(timeoutMs) : err
  })
  const grant = decodeExactly(linkGrant, result.data ?? null)
  const vouched = grant === null ? null : verifyDeviceProof(grant.proof)
  if (grant === null || vouched === null || !b4a.equals(vouched.device, device.publicKey))
    throw RoostError.linkInvalid('the other device answered with no valid proof')

  const topic = linkTopic(result.key)
  await host.network.join(topic)
  try {
    const conn = await connectionTo(host.network, grant.linker, deadline, timeoutMs)
    const rpc = new ProtomuxRPC(conn, { protocol: LINK_PROTOCOL, id: topic })
    rpc.on('error', () => {})
    const challenge = linkChallenge(topic, grant.linker, host.network.swarm.keyPair.publicKey)
    const auth = { device: device.publicKey, signature: crypto.sign(challenge, device.secretKey) }
    const roomsReply = decodeExactly(
      linkRooms,
      await request(rpc, 'rooms', c.encode(linkAuth, auth), timeoutMs)
    )
    if (roomsReply === null) throw RoostError.linkInvalid('the other device sent no room list')

    await host.becomeDevice({
      name: grant.name,
      identity: vouched.identity,
      device,
      proof: grant.proof
    })
    const record = decodeExactly(
      linkRecord,
      await request(rpc, 'record', c.encode(linkAuth, auth), timeoutMs).catch(() => null)
    )
    if (record !== null) await host.keepRecord(record)
    const writers: LinkedWriter[] = []
    const opened: LinkedRoom[] = []
    for (const keys of roomsReply.rooms) {
      const room = await host.openRoom(keys)
      opened.push(room)
      writers.push({
        room: room.discoveryKey,
        writer: room.writer,
        boxKey: room.boxKey,
        binding: bindWriter(room.discoveryKey, room.writer, device, grant.proof)
      })
    }
    const reply = decodeExactly(
      linkAdded,
      await request(rpc, 'writers', c.encode(linkWriters, { ...auth, writers }), timeoutMs)
    )
    const added = opened.filter((room) =>
      (reply?.rooms ?? []).some((key) => b4a.equals(key, room.discoveryKey))
    )
    if (added.length > 0) {
      await untilWritable(added, deadline, timeoutMs)
      // tells the other device it may stop serving the rooms: this one has them now
      await request(rpc, 'ready', c.encode(linkAuth, auth), timeoutMs).catch(() => null)
    }
    rpc.destroy()
    return { rooms: roomsReply.rooms.length, added: added.length }
  } finally {
    await host.network.leave(topic).catch(() => {})
  }
}

async function untilWritable(
  rooms: LinkedRoom[],
  signal: AbortSignal,
  timeoutMs: number
): Promise<void> {
  try {
    await Promise.all(rooms.map((room) => room.untilWritable(signal)))
  } catch (err) {
    if (signal.aborted) throw RoostError.linkTimeout(timeoutMs)
    throw err
  }
}

async function request(
  rpc: ProtomuxRPC,
  method: string,
  value: Buffer,
  timeoutMs: number
): Promise<Buffer | null> {
  try {
    return await rpc.request<Buffer, Buffer | null>(method, value, { timeout: timeoutMs })
  } catch (err) {
    throw RoostError.linkInvalid('the other device stopped answering: ' + (err as Error).message)
  }
}

/** The swarm connection to the linking device, once it is up. */
function connectionTo(
  network: Network,
  remote: Buffer,
  signal: AbortSignal,
  timeoutMs: number
): Promise<SwarmConnection> {
  const swarm = network.swarm
  const existing = [...swarm.connections].find((conn) => b4a.equals(conn.remotePublicKey, remote))
  if (existing !== undefined) return Promise.resolve(existing)
  return new Promise((resolve, reject) => {
    const onConnection = (conn: SwarmConnection): void => {
      if (!b4a.equals(conn.remotePublicKey, remote)) return
      done()
      resolve(conn)
    }
    const onAbort = (): void => {
      done()
      reject(RoostError.linkTimeout(timeoutMs))
    }
    const done = (): void => {
      swarm.off('connection', onConnection)
      signal.removeEventListener('abort', onAbort)
    }
    swarm.on('connection', onConnection)
    signal.addEventListener('abort', onAbort)
  })
}

export type { KeyPair }
