import b4a from 'b4a'
import c from 'compact-encoding'
import ProtomuxRPC from 'protomux-rpc'
import { SerialTask } from '../../shared/util/serial-task.js'
import type Autobase from 'autobase'
import { ROLE, type StoredWriter } from '../rooms/ops.js'
import type { Room } from '../rooms/room.js'
import {
  MANIFEST_PROOF_METHOD,
  manifestListEncoding,
  UNREGISTERED_REASON,
  MANIFEST_METHOD,
  MANIFEST_PROTOCOL,
  manifestReplyEncoding,
  signManifest,
  type ManifestReply,
  type RoomManifestBody
} from './room-manifest.js'

/** A connection blind-peering opened to a blind peer (a hyperdht secret stream). */
export interface BlindPeerStream {
  remotePublicKey: Buffer
  opened: Promise<boolean>
  destroyed: boolean
  once(event: 'close', listener: () => void): unknown
}

type Body = Omit<RoomManifestBody, 'version'>
type KeyPair = { publicKey: Buffer; secretKey: Buffer }

/**
 * What a manifest is signed for: a room, or the person's own record (which a blind peer keeps
 * as if it were a room). `body` is null while we may not sign one.
 */
export interface ManifestSource {
  key: Buffer
  base: Autobase<unknown>
  body(): Promise<Body | null>
  signer(): KeyPair
}

interface Tracked {
  source: ManifestSource
  task: SerialTask
  /** Highest version we signed or a blind peer told us it holds. */
  version: number
  /** Blind peers (hex) this room's manifest went to: they hear of a later removal too. */
  sentTo: Set<string>
  viewKeys: string
}

function hex(key: Buffer): string {
  return b4a.toString(key, 'hex')
}

/**
 * An admin's side of room registration: signs the room's manifest (room-manifest.ts) with our
 * writer key and puts it to each of the room's blind peers, on the connection blind-peering
 * holds to it. Sent when such a connection opens and whenever the roster, the mirrors or the
 * view cores change; a member who is not an admin sends nothing.
 */
export class ManifestPublisher {
  private _rooms: Map<string, Tracked>
  private _streams: Map<string, Set<BlindPeerStream>>
  private _rpcs: WeakMap<BlindPeerStream, ProtomuxRPC>
  /** What each stream last accepted, per room: a digest of the body. */
  private _accepted: WeakMap<BlindPeerStream, Map<string, string>>
  private _onError: (err: unknown) => void

  constructor(onError: (err: unknown) => void = () => {}) {
    this._rooms = new Map()
    this._streams = new Map()
    this._rpcs = new WeakMap()
    this._accepted = new WeakMap()
    this._onError = onError
  }

  /** Starts (idempotent) keeping the source's blind peers told, and publishes now. */
  track(source: ManifestSource): void {
    const id = hex(source.key)
    let tracked = this._rooms.get(id)
    if (tracked === undefined) {
      const entry: Tracked = {
        source,
        task: new SerialTask(() => this._publish(entry), this._onError),
        version: 0,
        sentTo: new Set(),
        viewKeys: viewKeysOf(source.base)
      }
      tracked = entry
      this._rooms.set(id, entry)
      // Autobase moves its views to new cores when the indexers change: tell the blind peers
      source.base.on('update', () => {
        const keys = viewKeysOf(source.base)
        if (keys === entry.viewKeys) return
        entry.viewKeys = keys
        entry.task.request()
      })
      source.base.once('close', () => this._rooms.delete(id))
    }
    tracked.task.request()
  }

  /** A connection blind-peering opened: once open, every tracked room it mirrors is sent. */
  onStream(stream: BlindPeerStream): void {
    const id = hex(stream.remotePublicKey)
    let streams = this._streams.get(id)
    if (streams === undefined) {
      streams = new Set()
      this._streams.set(id, streams)
    }
    streams.add(stream)
    stream.once('close', () => {
      streams.delete(stream)
      if (streams.size === 0 && this._streams.get(id) === streams) this._streams.delete(id)
    })
    stream.opened.then(
      (opened) => {
        if (!opened) return
        for (const tracked of this._rooms.values()) tracked.task.request()
      },
      () => {}
    )
  }

  async idle(): Promise<void> {
    for (const tracked of this._rooms.values()) await tracked.task.idle()
  }

  private async _publish(tracked: Tracked): Promise<void> {
    const source = tracked.source
    if (source.base.closed) return
    const body = await source.body()
    if (body === null) return
    const digest = digestOf(body)
    const targets = new Set([...body.mirrors.map(hex), ...tracked.sentTo])
    const roomId = hex(source.key)
    for (const target of targets) {
      for (const stream of this._streams.get(target) ?? []) {
        if (stream.destroyed) continue
        if (this._accepted.get(stream)?.get(roomId) === digest) continue
        const reply = await this._put(tracked, body, stream)
        if (reply === null) continue
        tracked.sentTo.add(target)
        if (!reply.accepted) continue
        let accepted = this._accepted.get(stream)
        if (accepted === undefined) {
          accepted = new Map()
          this._accepted.set(stream, accepted)
        }
        accepted.set(roomId, digest)
      }
    }
  }

  /**
   * Signs and sends. A blind peer holding a newer version gets one retry above it; one that
   * never saw the room (added after its creator left) first gets the proof another of the
   * room's blind peers holds.
   */
  private async _put(
    tracked: Tracked,
    body: Body,
    stream: BlindPeerStream
  ): Promise<ManifestReply | null> {
    const rpc = this._rpcOf(stream)
    await rpc.fullyOpened()
    if (!rpc.opened) return null // it closed first: the blind peer speaks no manifests
    let reply: ManifestReply | null = null
    let proved = false
    for (let attempt = 0; attempt < 3; attempt++) {
      const version = Math.max(Date.now(), tracked.version + 1)
      tracked.version = version
      const bytes = signManifest({ ...body, version }, tracked.source.signer())
      reply = await request(rpc, bytes)
      if (reply === null) return null // the connection went away: its next one is sent to
      tracked.version = Math.max(tracked.version, reply.version)
      if (reply.accepted) break
      if (reply.reason === UNREGISTERED_REASON && !proved) {
        proved = true
        if (await this._prove(tracked, stream)) continue
        break
      }
      // refused for staleness (it holds `version` or later): once more above it; else give up
      if (reply.version < version) break
    }
    return reply
  }

  /** Replays, to `stream`, the registration proof of a blind peer that took our manifest. */
  private async _prove(tracked: Tracked, stream: BlindPeerStream): Promise<boolean> {
    const roomId = hex(tracked.source.key)
    for (const streams of this._streams.values()) {
      for (const other of streams) {
        if (other === stream || other.destroyed) continue
        if (this._accepted.get(other)?.get(roomId) === undefined) continue
        let proof: Buffer[]
        try {
          proof = await this._rpcOf(other).request<Buffer | null, Buffer[]>(
            MANIFEST_PROOF_METHOD,
            tracked.source.key,
            { requestEncoding: c.buffer, responseEncoding: manifestListEncoding }
          )
        } catch {
          continue
        }
        let taken = 0
        for (const bytes of proof) {
          const reply = await request(this._rpcOf(stream), bytes)
          if (reply === null) return false
          if (reply.accepted) taken++
        }
        if (taken > 0) return true
      }
    }
    return false
  }

  private _rpcOf(stream: BlindPeerStream): ProtomuxRPC {
    let rpc = this._rpcs.get(stream)
    if (rpc === undefined) {
      rpc = new ProtomuxRPC(stream, { protocol: MANIFEST_PROTOCOL })
      rpc.on('error', () => {})
      this._rpcs.set(stream, rpc)
    }
    return rpc
  }
}

async function request(rpc: ProtomuxRPC, bytes: Buffer): Promise<ManifestReply | null> {
  try {
    return await rpc.request<Buffer | null, ManifestReply>(MANIFEST_METHOD, bytes, {
      requestEncoding: c.buffer,
      responseEncoding: manifestReplyEncoding
    })
  } catch {
    return null
  }
}

/** A room as a manifest source: signed with our writer key, if we are one of its admins. */
export function roomManifestSource(room: Room): ManifestSource {
  return {
    key: room.key,
    base: room.base as Autobase<unknown>,
    body: () => manifestBody(room),
    signer: () => (room.base.local as unknown as { keyPair: KeyPair }).keyPair
  }
}

/** The keys of an Autobase's view cores (system, encryption and the views). */
export function viewCoreKeys(base: Autobase<unknown>): Buffer[] {
  const views = (base as unknown as { views(): Array<{ key: Buffer | null }> }).views()
  return views.flatMap((v) => (v.key === null ? [] : [v.key]))
}

function viewKeysOf(base: Autobase<unknown>): string {
  const views = (base as unknown as { views(): Array<{ key: Buffer | null }> }).views()
  return views.map((v) => (v.key === null ? '' : hex(v.key))).join(',')
}

function digestOf(body: Body): string {
  const lists = [body.mirrors, body.admins, body.writers, body.cores, body.blobs ?? []]
  return lists.map((keys) => keys.map(hex).join(',')).join('/')
}

/** The room as our view has it, if we are one of its admins; null otherwise. */
async function manifestBody(room: Room): Promise<Body | null> {
  const me = await room.writer(room.writerKey)
  if (me === null) return null
  const self = await room.member(me.profile)
  if (self === null || self.removed || self.role !== ROLE.ADMIN) return null
  const members = await room.members()
  const active = new Set(members.filter((m) => !m.removed).map((m) => hex(m.profile)))
  const admins = new Set(
    members.filter((m) => !m.removed && m.role === ROLE.ADMIN).map((m) => hex(m.profile))
  )
  const writers = await room.view.find<StoredWriter>('@roost/writers', {}).toArray()
  return {
    roomKey: room.key,
    mirrors: (await room.mirrors()).map((m) => m.key),
    admins: writers.filter((w) => admins.has(hex(w.profile))).map((w) => w.key),
    writers: writers.filter((w) => active.has(hex(w.profile))).map((w) => w.key),
    cores: viewCoreKeys(room.base as Autobase<unknown>),
    blobs: writers.flatMap((w) => (w.blobs && active.has(hex(w.profile)) ? [w.blobs] : []))
  }
}
