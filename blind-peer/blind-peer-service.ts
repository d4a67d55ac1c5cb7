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
import { CappedBlindPeer } from './capped-blind-peer.js'
import { BlindRelay } from './relay.js'

export interface BlindPeerServiceOptions extends NetworkOptions {
  storage: string
  /** Bytes; omitted: 50 GB. */
  maxStorage?: number | null
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
}

export const DEFAULT_MAX_STORAGE = 50 * 1000 ** 3
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
      this._relay = new BlindRelay(this._swarm.dht, this._log)
      this._swarm.on('connection', (conn: SwarmConnection) => this._onConnection(conn))
      this._peer = new CappedBlindPeer(path.join(this.storage, 'rocks'), {
        swarm: this._swarm,
        maxStorage: this.options.maxStorage ?? DEFAULT_MAX_STORAGE
      })
      this._peer.on('add-new-core', (record: { key: Buffer }) => {
        this._touch()
        this._log(`core added ${z32.encode(record.key)}`)
      })
      this._peer.on('core-activity', () => this._touch())
      this._peer.on('refused-cores', (count: number) =>
        this._log(
          `storage full (${this._peer?.digest.bytesAllocated} of ${this._peer?.maxStorage} bytes): refused ${count} new cores; still serving the ones held`
        )
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
    return {
      key: peer === null ? '' : z32.encode(peer.publicKey),
      running: peer !== null,
      cores: peer?.digest.cores ?? 0,
      bytes: peer?.digest.bytesAllocated ?? 0,
      maxStorage: peer?.maxStorage ?? this.options.maxStorage ?? DEFAULT_MAX_STORAGE,
      full: peer?.full ?? false,
      lastActivity: this._lastActivity
    }
  }

  async close(): Promise<void> {
    if (this._reportTimer !== null) clearTimeout(this._reportTimer)
    if (this._peer !== null) {
      await this._peer.close()
      await this._writeStatus(false)
    }
    if (this._relay !== null) await this._relay.close()
    if (this._swarm !== null) await this._swarm.destroy()
    this._peer = null
    this._relay = null
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
    conn.once('close', () => this._log(`disconnected ${who}`))
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
  return saved === null ? null : { ...saved, running: false }
}
