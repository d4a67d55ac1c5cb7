import { EventEmitter } from 'events'
import fs from 'fs/promises'
import path from 'path'
import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import c from 'compact-encoding'
import {
  hasKey,
  manifestListEncoding,
  MAX_PROOF,
  parseManifest,
  UNREGISTERED_REASON,
  writerKeyOf,
  type ManifestReply,
  type RoomManifest
} from '../src/core/mirrors/room-manifest.js'

/** A room as this blind peer knows it: its latest verified manifest. */
export interface RegisteredRoom {
  manifest: RoomManifest
  bytes: Buffer
  /** The manifest lists this blind peer among the room's mirrors. */
  active: boolean
  /** Discovery keys (hex) of the cores the room lists: writers and views. */
  cores: Set<string>
  /**
   * The manifests that carry the registration from the creator's to the latest: the first and
   * each one that changed the admins (between two of them the admins, so the signers, are the
   * same). Replayed in order, then the latest, they register the room on another blind peer.
   */
  chain: Buffer[]
}

const FILE_SUFFIX = '.manifest'
const CHAIN_SUFFIX = '.chain'
/** Rooms one blind peer registers at most: anyone can make a room, so a stranger can register. */
export const MAX_ROOMS = 10_000

function hex(key: Buffer): string {
  return b4a.toString(key, 'hex')
}

export function discoveryId(key: Buffer): string {
  return hex(crypto.discoveryKey(key))
}

/**
 * The rooms that registered with this blind peer, by signed manifest (see room-manifest.ts),
 * one file per room under `dir`. Emits 'change' (roomKey hex) after a newer manifest is taken.
 */
export class ManifestStore extends EventEmitter {
  readonly dir: string
  private _self: Buffer
  private _rooms: Map<string, RegisteredRoom>
  /** Discovery key (hex) -> rooms (hex) mirrored here whose manifest lists that core. */
  private _listed: Map<string, Set<string>>
  private _writing: Promise<void>

  constructor(dir: string, self: Buffer) {
    super()
    this.dir = dir
    this._self = self
    this._rooms = new Map()
    this._listed = new Map()
    this._writing = Promise.resolve()
  }

  async load(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 })
    for (const name of await fs.readdir(this.dir)) {
      if (!name.endsWith(FILE_SUFFIX)) continue
      const bytes = await fs.readFile(path.join(this.dir, name))
      const parsed = parseManifest(bytes)
      // only what verified when it came is saved; a file that no longer parses is skipped
      if (!parsed.ok) continue
      const chainFile = path.join(this.dir, name.slice(0, -FILE_SUFFIX.length) + CHAIN_SUFFIX)
      const chain = await readChain(chainFile, bytes)
      // a crash between writing the chain and the manifest leaves the chain ahead: take its end
      const last = parseManifest(chain[chain.length - 1])
      if (last.ok && last.manifest.version > parsed.manifest.version) {
        this._set(last.manifest, chain[chain.length - 1], chain)
      } else {
        this._set(parsed.manifest, bytes, chain)
      }
    }
  }

  /** The manifests that register `roomKey` elsewhere, oldest first (empty if unknown). */
  proof(roomKey: Buffer): Buffer[] {
    const room = this._rooms.get(hex(roomKey))
    if (room === undefined) return []
    const last = room.chain[room.chain.length - 1]
    return last !== undefined && b4a.equals(last, room.bytes)
      ? room.chain
      : [...room.chain, room.bytes]
  }

  get size(): number {
    return [...this._rooms.values()].filter((r) => r.active).length
  }

  /** The room registered under `roomKey` and still mirrored here, else null. */
  active(roomKey: Buffer): RegisteredRoom | null {
    const room = this._rooms.get(hex(roomKey)) ?? null
    return room !== null && room.active ? room : null
  }

  /** Whether a room mirrored here lists the core with this discovery key (hex). */
  lists(id: string): boolean {
    return this._listed.has(id)
  }

  /** Takes a manifest from the wire if it verifies and supersedes what we hold. */
  put(bytes: Buffer): { reply: ManifestReply; manifest: RoomManifest | null } {
    const parsed = parseManifest(bytes)
    if (!parsed.ok)
      return { reply: { accepted: false, version: 0, reason: parsed.reason }, manifest: null }
    const manifest = parsed.manifest
    return { reply: this._take(manifest, bytes), manifest }
  }

  private _take(manifest: RoomManifest, bytes: Buffer): ManifestReply {
    const current = this._rooms.get(hex(manifest.roomKey)) ?? null
    const version = current?.manifest.version ?? 0
    const signerWriter = writerKeyOf(manifest.signer)
    if (current === null) {
      if (this._rooms.size >= MAX_ROOMS) {
        return { accepted: false, version, reason: `full: ${MAX_ROOMS} rooms registered` }
      }
      if (!b4a.equals(signerWriter, manifest.roomKey)) {
        return { accepted: false, version, reason: UNREGISTERED_REASON }
      }
    } else {
      if (manifest.version <= version) {
        return { accepted: false, version, reason: `stale: version ${version} is held` }
      }
      if (!hasKey(current.manifest.admins, signerWriter)) {
        return { accepted: false, version, reason: 'signer is not an admin of the room' }
      }
    }
    const chain =
      current === null
        ? [bytes]
        : !sameKeys(current.manifest.admins, manifest.admins) &&
            current.chain.length < MAX_PROOF - 1
          ? [...current.chain, bytes]
          : current.chain
    this._set(manifest, bytes, chain)
    const base = path.join(this.dir, hex(manifest.roomKey))
    const chainBytes = chain === current?.chain ? null : c.encode(manifestListEncoding, chain)
    // the chain first: a crash between the two leaves a chain that still leads to the manifest
    this._writing = this._writing
      .then(async () => {
        if (chainBytes !== null) await writeAtomic(base + CHAIN_SUFFIX, chainBytes)
        await writeAtomic(base + FILE_SUFFIX, bytes)
      })
      .catch(() => {})
    this.emit('change', hex(manifest.roomKey))
    return { accepted: true, version: manifest.version, reason: '' }
  }

  /** Resolves once every accepted manifest is on disk. */
  flushed(): Promise<void> {
    return this._writing
  }

  private _set(manifest: RoomManifest, bytes: Buffer, chain: Buffer[]): void {
    const roomId = hex(manifest.roomKey)
    const previous = this._rooms.get(roomId)
    if (previous?.active) this._index(roomId, previous.cores, false)
    const room: RegisteredRoom = {
      manifest,
      bytes,
      active: hasKey(manifest.mirrors, this._self),
      cores: new Set([...manifest.writers, ...manifest.cores, ...manifest.blobs].map(discoveryId)),
      chain
    }
    this._rooms.set(roomId, room)
    if (room.active) this._index(roomId, room.cores, true)
  }

  private _index(roomId: string, cores: Set<string>, add: boolean): void {
    for (const id of cores) {
      let rooms = this._listed.get(id)
      if (rooms === undefined) {
        if (!add) continue
        rooms = new Set()
        this._listed.set(id, rooms)
      }
      if (add) rooms.add(roomId)
      else rooms.delete(roomId)
      if (rooms.size === 0) this._listed.delete(id)
    }
  }
}

function sameKeys(a: Buffer[], b: Buffer[]): boolean {
  return a.length === b.length && a.every((key) => hasKey(b, key))
}

/** A room's saved chain; a missing or unreadable one leaves only the manifest itself. */
async function readChain(file: string, latest: Buffer): Promise<Buffer[]> {
  try {
    const chain = c.decode(manifestListEncoding, await fs.readFile(file))
    return chain.length > 0 ? chain : [latest]
  } catch {
    return [latest]
  }
}

async function writeAtomic(file: string, bytes: Buffer): Promise<void> {
  const tmp = file + '.tmp'
  const handle = await fs.open(tmp, 'w', 0o600)
  try {
    await handle.writeFile(bytes)
    await handle.sync()
  } finally {
    await handle.close()
  }
  await fs.rename(tmp, file)
}
