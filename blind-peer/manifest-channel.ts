import c from 'compact-encoding'
import Protomux from 'protomux'
import ProtomuxRPC from 'protomux-rpc'
import type { SwarmConnection } from 'hyperswarm'
import {
  MANIFEST_PROOF_METHOD,
  manifestListEncoding,
  MANIFEST_METHOD,
  MANIFEST_PROTOCOL,
  manifestReplyEncoding,
  type ManifestReply
} from '../src/core/mirrors/room-manifest.js'
import type { ManifestStore } from './manifest-store.js'

export interface ManifestEvent {
  peer: Buffer
  reply: ManifestReply
  /** The room the manifest names, when it parsed. */
  roomKey: Buffer | null
  signer: Buffer | null
}

/**
 * Answers room manifests on a blind peer's connections: a `put` of the signed bytes, replied to
 * with whether it was taken and the version held, and a `proof` of a room's registration for
 * a blind peer added later (see ManifestStore.proof). Rides the same connection blind-peering
 * dials, on its own protomux channel, which the member opens (an open nobody listens for yet
 * is rejected, so the side that speaks first opens, and the other pairs).
 */
export class ManifestChannel {
  private _store: ManifestStore
  private _onManifest: (event: ManifestEvent) => void

  constructor(store: ManifestStore, onManifest: (event: ManifestEvent) => void) {
    this._store = store
    this._onManifest = onManifest
  }

  /** Answers on `conn` once the remote opens the channel (it always opens first). */
  accept(conn: SwarmConnection): void {
    const mux = Protomux.from(conn)
    mux.pair({ protocol: MANIFEST_PROTOCOL }, () => {
      try {
        this._serve(conn, mux)
      } catch {
        // a second open while the first is still up: protomux rejects it, nothing to serve
      }
    })
  }

  private _serve(conn: SwarmConnection, mux: Protomux): void {
    const rpc = new ProtomuxRPC(mux, { protocol: MANIFEST_PROTOCOL })
    rpc.on('error', () => {}) // a peer hanging up mid-request is normal churn
    rpc.respond(
      MANIFEST_PROOF_METHOD,
      { requestEncoding: c.buffer, responseEncoding: manifestListEncoding },
      (roomKey: Buffer | null) =>
        roomKey === null || roomKey.byteLength !== 32 ? [] : this._store.proof(roomKey)
    )
    rpc.respond(
      MANIFEST_METHOD,
      { requestEncoding: c.buffer, responseEncoding: manifestReplyEncoding },
      (bytes: Buffer | null) => {
        const { reply, manifest } =
          bytes === null
            ? { reply: { accepted: false, version: 0, reason: 'empty manifest' }, manifest: null }
            : this._store.put(bytes)
        this._onManifest({
          peer: conn.remotePublicKey,
          reply,
          roomKey: manifest?.roomKey ?? null,
          signer: manifest?.signer ?? null
        })
        return reply
      }
    )
  }
}
