import fs from 'fs/promises'
import path from 'path'
import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import Hyperswarm, { type SwarmConnection } from 'hyperswarm'
import z32 from 'z32'
import { ControlServer, connectControl } from '../src/core/control/control-server.js'
import type { SocketTransport } from '../src/core/control/socket-transport.js'
import { createDht, type NetworkOptions } from '../src/core/network/network.js'
import { createFileAtomic } from '../src/core/storage/atomic-write.js'
import { readJsonFile, writeJsonFile } from '../src/core/storage/json-file.js'
import { RoostError } from '../src/shared/api/errors.js'
import { CappedBlindPeer, type HeldCore, type RefusedCores } from './capped-blind-peer.js'
import { CorePolicy } from './core-policy.js'
import { ManifestChannel, type ManifestEvent } from './manifest-channel.js'
import { ManifestStore } from './manifest-store.js'
import { QuotaLedger, type QuotaLimits } from './quota-ledger.js'
import { BlindRelay, DEFAULT_RELAY_PER_PEER } from './relay.js'

export interface BlindPeerServiceOptions extends NetworkOptions {
  storage: string
  /** Bytes; omitted: 50 GB. */
  maxStorage?: number | null
  /** Bytes one room's cores may take; omitted: 10 GB. */
  roomQuota?: number | null
  /** Bytes the cores one peer brought may take; omitted: 25 GB. */
  peerQuota?: number | null
  /** Relayed connections one peer may hold at once; omitted: 32. */
  relayPerPeer?: number | null
  log?: (line: string) => void
}

export interface BlindPeerStatus {
  key: string
  running: boolean
  cores: number
  bytes: number
  maxStorage: number
  full: boolean
  lastActivity: number | null
  /** Rooms registered by a manifest that lists this blind peer. */
  rooms: number
  roomQuota: number
  peerQuota: number
  relayPerPeer: number
  /** Cores kept at their length (a limit reached, or no longer in a room's manifest). */
  held: number
  /** Cores refused since the daemon started. */
  refused: number
  /** Rooms and peers (z32 keys) at or past their quota. */
  overQuota: { rooms: string[]; peers: string[] }
}

export const DEFAULT_MAX_STORAGE = 50 * 1000 ** 3
export const DEFAULT_ROOM_QUOTA = 10 * 1000 ** 3
export const DEFAULT_PEER_QUOTA = 25 * 1000 ** 3
/** Byte counts are logged and saved at most this often while cores change. */
const REPORT_DELAY_MS = 1000

/**
 * The always-online blind peer: keeps rooms' encrypted cores for their members without ever
 * holding a room key. Its storage dir holds the key seed (so restarts keep the same key), the
 * blind-peer database, `key` (z32) and `status.json`; its control socket is the dir's lock.
 */
export class BlindPeerService {
  readonly storage: string
  readonly options: BlindPeerServiceOptions
  private _log: (line: string) => void
  private _control: ControlServer | null
  private _swarm: Hyperswarm | null
  private _peer: CappedBlindPeer | null
  private _relay: BlindRelay | null
  private _manifests: ManifestChannel | null
  private _ledger: QuotaLedger | null
  private _lastActivity: number | null
  private _reportTimer: NodeJS.Timeout | null
  private _reportedBytes: number

  constructor(options: BlindPeerServiceOptions) {
    this.storage = path.resolve(options.storage)
    this.options = options
    this._log = options.log ?? (() => {})
    this._control = null
    this._swarm = null
    this._peer = null
    this._relay = null
    this._manifests = null
    this._ledger = null
    this._lastActivity = null
    this._reportTimer = null
    this._reportedBytes = -1
  }

  get publicKey(): Buffer {
    if (this._peer === null) throw new Error('The blind peer is not open')
    return this._peer.publicKey
  }

  async open(): Promise<void> {
    await fs.mkdir(this.storage, { recursive: true, mode: 0o700 })
    this._control = await ControlServer.listen(this.storage, (client) => this._serveStatus(client))
    try {
      const saved = (await readJsonFile(this._statusFile)) as Partial<BlindPeerStatus> | null
      this._lastActivity = saved?.lastActivity ?? null
      const keyPair = crypto.keyPair(await this._seed())
      this._swarm = new Hyperswarm({ keyPair, dht: createDht(this.options) })
      this._relay = new BlindRelay(
        this._swarm.dht,
        this._log,
        this.options.relayPerPeer ?? DEFAULT_RELAY_PER_PEER
      )
      const manifests = new ManifestStore(path.join(this.storage, 'rooms'), keyPair.publicKey)
      await manifests.load()
      this._ledger = new QuotaLedger(path.join(this.storage, 'quota.json'), this._limits)
      await this._ledger.load()
      this._manifests = new ManifestChannel(manifests, (e) => this._onManifest(e))
      this._swarm.on('connection', (conn: SwarmConnection) => this._onConnection(conn))
      this._peer = new CappedBlindPeer(path.join(this.storage, 'rocks'), {
        swarm: this._swarm,
        policy: new CorePolicy(manifests, this._ledger)
      })
      this._peer.on('add-new-core', (record: { key: Buffer }) => {
        this._touch()
        this._log(`core added ${z32.encode(record.key)}`)
      })
      this._peer.on('core-activity', () => this._touch())
      this._peer.on('refused', (e: RefusedCores) => this._onRefused(e))
      this._peer.on('held', (e: HeldCore) => this._onHeld(e))
      this._peer.on('behind', (e: HeldCore & { remote: number }) =>
        this._log(
          `core ${z32.encode(e.key)} held at length ${e.length}: a peer has ${e.remote} (${e.reason})`
        )
      )
      this._peer.on('released', (key: Buffer) =>
        this._log(`core ${z32.encode(key)} may grow again`)
      )
      await this._peer.ready()
      await this._peer.listen()
      await fs.writeFile(path.join(this.storage, 'key'), z32.encode(this.publicKey) + '\n')
      await this._writeStatus(true)
    } catch (err) {
      await this.close()
      throw err
    }
  }

  status(): BlindPeerStatus {
    const peer = this._peer
    const ledger = this._ledger
    const limits = ledger?.limits ?? this._limits
    const over = ledger?.over() ?? { rooms: [], peers: [] }
    const z = (id: string): string => z32.encode(b4a.from(id, 'hex'))
    return {
      key: peer === null ? '' : z32.encode(peer.publicKey),
      running: peer !== null,
      cores: peer?.digest.cores ?? 0,
      bytes: ledger?.total ?? 0,
      maxStorage: limits.maxStorage,
      full: ledger?.full ?? false,
      lastActivity: this._lastActivity,
      rooms: peer?.policy.manifests.size ?? 0,
      roomQuota: limits.roomQuota,
      peerQuota: limits.peerQuota,
      relayPerPeer: this._relay?.maxPerPeer ?? this.options.relayPerPeer ?? DEFAULT_RELAY_PER_PEER,
      held: peer?.heldCount ?? 0,
      refused: peer?.refusedCount ?? 0,
      overQuota: { rooms: over.rooms.map(z), peers: over.peers.map(z) }
    }
  }

  private get _limits(): QuotaLimits {
    return {
      maxStorage: this.options.maxStorage ?? DEFAULT_MAX_STORAGE,
      roomQuota: this.options.roomQuota ?? DEFAULT_ROOM_QUOTA,
      peerQuota: this.options.peerQuota ?? DEFAULT_PEER_QUOTA
    }
  }

  async close(): Promise<void> {
    if (this._reportTimer !== null) clearTimeout(this._reportTimer)
    if (this._peer !== null) {
      await this._peer.close()
      await this._peer.policy.manifests.flushed()
      await this._ledger?.saved()
      await this._writeStatus(false)
    }
    if (this._relay !== null) await this._relay.close()
    if (this._swarm !== null) await this._swarm.destroy()
    this._peer = null
    this._relay = null
    this._manifests = null
    this._ledger = null
    this._swarm = null
    if (this._control !== null) await this._control.close()
    this._control = null
  }

  private get _statusFile(): string {
    return path.join(this.storage, 'status.json')
  }

  /**
   * The key seed: created once, atomically (a crash leaves no seed or a whole one, so the key
   * never changes), and refused with DATA_FILE_CORRUPT when it is not 32 bytes of hex.
   */
  private async _seed(): Promise<Buffer> {
    const file = path.join(this.storage, 'seed')
    const SEED_RECOVERY =
      'restore it from a backup: a new seed means a new blind peer key, and rooms must add it again'
    const fresh = b4a.toString(crypto.randomBytes(32), 'hex')
    await createFileAtomic(file, fresh + '\n', 0o600) // false: it exists, keep it
    let text: string
    try {
      text = (await fs.readFile(file, 'utf8')).trim()
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error'
      throw RoostError.dataFileCorrupt(file, `cannot be read (${code})`, SEED_RECOVERY)
    }
    if (!/^[0-9a-f]{64}$/i.test(text)) {
      throw RoostError.dataFileCorrupt(file, 'is not a 32-byte hex seed', SEED_RECOVERY)
    }
    return b4a.from(text, 'hex')
  }

  private _onConnection(conn: SwarmConnection): void {
    const who = z32.encode(conn.remotePublicKey)
    this._log(`connection from ${who}`)
    this._relay?.accept(conn)
    this._manifests?.accept(conn)
    conn.once('close', () => this._log(`disconnected ${who}`))
  }

  private _onManifest(e: ManifestEvent): void {
    const room = e.roomKey === null ? 'unknown room' : `room ${z32.encode(e.roomKey)}`
    const from = z32.encode(e.peer)
    if (!e.reply.accepted) {
      this._log(`manifest refused for ${room} from ${from}: ${e.reply.reason}`)
      return
    }
    const registered = e.roomKey === null ? null : this._peer?.policy.manifests.active(e.roomKey)
    const m = registered?.manifest
    this._log(
      m === undefined
        ? `manifest v${e.reply.version} for ${room} from ${from}: this blind peer is no longer its mirror; its cores stop growing`
        : `manifest v${m.version} for ${room} from ${from}: ${m.admins.length} admins, ${m.writers.length} writers, ${m.cores.length} other cores`
    )
    this._touch()
  }

  private _onRefused(e: RefusedCores): void {
    const room = e.referrer === null ? 'no room' : `room ${z32.encode(e.referrer)}`
    const more = e.keys.length > 1 ? ` and ${e.keys.length - 1} more` : ''
    this._log(
      `refused ${e.keys.length} cores from ${z32.encode(e.peer)} for ${room}: ${e.reason} (${z32.encode(e.keys[0])}${more})`
    )
    this._touch()
  }

  private _onHeld(e: HeldCore): void {
    const ledger = this._ledger
    const detail =
      ledger === null
        ? ''
        : e.reason === 'storage full'
          ? ` (${ledger.total} of ${ledger.limits.maxStorage} bytes)`
          : e.reason === 'room quota'
            ? ` (room holds ${this._ownerBytes(e.key, 'room')} of ${ledger.limits.roomQuota} bytes)`
            : e.reason === 'peer quota'
              ? ` (peer holds ${this._ownerBytes(e.key, 'peer')} of ${ledger.limits.peerQuota} bytes)`
              : ''
    this._log(`core ${z32.encode(e.key)} stops growing at length ${e.length}: ${e.reason}${detail}`)
    this._touch()
  }

  private _ownerBytes(key: Buffer, kind: 'room' | 'peer'): number {
    const ledger = this._ledger
    const owner = ledger?.owner(b4a.toString(crypto.discoveryKey(key), 'hex')) ?? null
    const id = owner === null ? null : owner[kind]
    if (ledger === null || id === null) return 0
    return kind === 'room' ? ledger.roomBytes(id) : ledger.peerBytes(id)
  }

  /** Notes activity; byte counts and status.json follow shortly after, once per burst. */
  private _touch(): void {
    this._lastActivity = Date.now()
    if (this._reportTimer !== null) return
    this._reportTimer = setTimeout(() => {
      this._reportTimer = null
      void this._report()
    }, REPORT_DELAY_MS)
  }

  private async _report(): Promise<void> {
    const status = this.status()
    if (status.bytes !== this._reportedBytes) {
      this._reportedBytes = status.bytes
      this._log(`stored ${status.bytes} bytes in ${status.cores} cores`)
    }
    await this._writeStatus(true).catch(() => {})
  }

  private async _writeStatus(running: boolean): Promise<void> {
    await writeJsonFile(this._statusFile, { ...this.status(), running }, 0o644)
  }

  private _serveStatus(client: SocketTransport): void {
    client.onMessage(() => client.send(JSON.stringify(this.status())))
  }
}

/** The status of the blind peer on `storage`: asked of the running daemon, else its last save. */
export async function readBlindPeerStatus(storage: string): Promise<BlindPeerStatus | null> {
  const client = await connectControl(storage)
  if (client !== null) {
    const reply = await new Promise<string>((resolve) => {
      client.onMessage(resolve)
      client.send('status')
    })
    client.close()
    return JSON.parse(reply) as BlindPeerStatus
  }
  const saved = (await readJsonFile(path.join(storage, 'status.json'))) as BlindPeerStatus | null
  if (saved === null) return null
  // a status saved by an older daemon lacks the later fields
  const defaults = new BlindPeerService({ storage }).status()
  return { ...defaults, ...saved, running: false }
}
