import b4a from 'b4a'
import z32 from 'z32'
import type { Config, Mirror } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { decodeKey, expectOptionalObject, expectString } from '../validate.js'
import type { CoreContext } from './core-context.js'

/** The rooms' blind peers, and this device's blind peer and relay settings. */
export class MirrorsService {
  private _ctx: CoreContext

  constructor(ctx: CoreContext) {
    this._ctx = ctx
  }

  async addMirror(ref: string, key: string): Promise<Mirror[]> {
    const joined = this._ctx.joined(ref)
    const mirrorKey = parseBlindPeerKey(key)
    await this._ctx.requireAdmin(joined)
    const active = await joined.room.mirrors()
    if (!active.some((m) => b4a.equals(m.key, mirrorKey))) {
      await joined.room.append([{ name: '@roost/mirror-add', value: { key: mirrorKey } }])
    }
    return joined.mirrors()
  }

  async removeMirror(ref: string, key: string): Promise<Mirror[]> {
    const joined = this._ctx.joined(ref)
    const mirrorKey = parseBlindPeerKey(key)
    await this._ctx.requireAdmin(joined)
    const active = await joined.room.mirrors()
    if (!active.some((m) => b4a.equals(m.key, mirrorKey))) throw RoostError.mirrorNotFound(key)
    await joined.room.append([{ name: '@roost/mirror-remove', value: { key: mirrorKey } }])
    return joined.mirrors()
  }

  async mirrors(ref: string): Promise<Mirror[]> {
    return this._ctx.joined(ref).mirrors()
  }

  async config(): Promise<Config> {
    return this._ctx.config.config
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
    const config = await this._ctx.config.update(update)
    if (update.blindPeer !== undefined) this._ctx.recordNotes.changedConfig()
    // peers that only a relay can reach were given up on: dial them again through the new one
    if (update.relay !== undefined) void this._ctx.network?.retry()
    return config
  }

  /**
   * Relays this device may use, best first: the configured one, rooms' blind peers, and last the
   * hints of invites being joined (an invite's hint is unauthenticated: it only helps to reach
   * that room's admin when we know no relay of our own).
   */
  relayKeys(): Buffer[] {
    const keys = new Map<string, Buffer>()
    const configured = this._ctx.config.config.relay
    if (configured !== null) keys.set(configured, z32.decode(configured))
    for (const joined of this._ctx.rooms.values()) {
      for (const key of joined.mirrorKeys) keys.set(z32.encode(key), key)
    }
    for (const key of this._ctx.joinRelays) keys.set(z32.encode(key), key)
    return [...keys.values()]
  }
}

export function parseBlindPeerKey(key: unknown): Buffer {
  const text = typeof key === 'string' ? key.trim() : ''
  const decoded = decodeKey(text)
  if (decoded === null) throw RoostError.blindPeerKeyInvalid(String(key))
  return decoded
}
