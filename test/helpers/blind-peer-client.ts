import b4a from 'b4a'
import BlindPeering from 'blind-peering'
import c from 'compact-encoding'
import Corestore from 'corestore'
import type Hypercore from 'hypercore'
import ProtomuxRPC from 'protomux-rpc'
import z32 from 'z32'
import type { Test } from 'brittle'
import type { BlindPeerStream } from '../../src/core/mirrors/manifest-publisher.js'
import {
  MANIFEST_METHOD,
  MANIFEST_PROTOCOL,
  manifestReplyEncoding,
  signManifest,
  type ManifestReply,
  type RoomManifestBody
} from '../../src/core/mirrors/room-manifest.js'
import { tempDir, type Testnet } from './index.js'

type KeyPair = { publicKey: Buffer; secretKey: Buffer }

/** A writer core of a client's own, with the key pair that signs it (and manifests). */
export interface ClientCore {
  core: Hypercore & { append(block: Buffer | Buffer[]): Promise<unknown>; length: number }
  key: Buffer
  keyPair: KeyPair
}

/**
 * A bare blind-peering client on the testnet, without Roost: its own cores, manifests it signs
 * as it likes, and add-core requests under any referrer. The test's way to be a stranger or an
 * admin exactly. Everything is closed at teardown.
 */
export class BlindPeerClient {
  readonly store: Corestore
  readonly blindPeer: Buffer
  private _peering: BlindPeering
  private _stream: Promise<BlindPeerStream>
  private _rpc: ProtomuxRPC | null

  constructor(
    store: Corestore,
    peering: BlindPeering,
    blindPeer: Buffer,
    stream: Promise<BlindPeerStream>
  ) {
    this.store = store
    this.blindPeer = blindPeer
    this._peering = peering
    this._rpc = null
    this._stream = stream
  }

  get publicKey(): Buffer {
    return (this._peering.keyPair as KeyPair).publicKey
  }

  /** A new writable core with `blocks` appended. */
  async core(name: string, blocks: Buffer[] = []): Promise<ClientCore> {
    const core = this.store.get({ name }) as ClientCore['core']
    await core.ready()
    if (blocks.length > 0) await core.append(blocks)
    const keyPair = (core as unknown as { keyPair: KeyPair }).keyPair
    return { core, key: core.key, keyPair }
  }

  /** Asks the blind peer to keep `core`, naming `referrer` as its room. */
  addCore(core: ClientCore, referrer: Buffer | null): void {
    const opts = { keys: [this.blindPeer], pick: 1, ...(referrer === null ? {} : { referrer }) }
    this._peering.addCoreBackground(core.core, opts)
  }

  /** Resolves once the blind peer told us it has the first `length` blocks of `core`. */
  synced(core: ClientCore, length: number): Promise<void> {
    return new Promise((resolve) => {
      const check = (): void => {
        if (core.core.remoteContiguousLength < length) return
        core.core.off('remote-contiguous-length', check)
        resolve()
      }
      core.core.on('remote-contiguous-length', check)
      check()
    })
  }

  /** The length the blind peer last told us it has of `core` (0 if it is not replicating it). */
  heldLength(core: ClientCore): number {
    const peer = core.core.peers.find((p) => b4a.equals(p.remotePublicKey, this.blindPeer))
    return peer?.remoteLength ?? 0
  }

  /** Signs `body` with `signer` and puts it to the blind peer (once an addCore dialed it). */
  async putManifest(body: RoomManifestBody, signer: KeyPair): Promise<ManifestReply> {
    const stream = await this._stream
    if (this._rpc === null) this._rpc = new ProtomuxRPC(stream, { protocol: MANIFEST_PROTOCOL })
    return this._rpc.request<Buffer | null, ManifestReply>(
      MANIFEST_METHOD,
      signManifest(body, signer),
      { requestEncoding: c.buffer, responseEncoding: manifestReplyEncoding }
    )
  }
}

export async function createBlindPeerClient(
  t: Test,
  testnet: Testnet,
  blindPeerKey: string
): Promise<BlindPeerClient> {
  const dht = testnet.createNode()
  const store = new Corestore(await tempDir(t))
  await store.ready()
  let onStream: (stream: BlindPeerStream) => void = () => {}
  const stream = new Promise<BlindPeerStream>((resolve) => (onStream = resolve))
  // blind-peering calls only `replicate` on the store it is given (see Mirroring)
  const peeringStore = {
    replicate(s: BlindPeerStream) {
      const out = store.replicate(s)
      onStream(s)
      return out
    }
  } as unknown as Corestore
  const peering = new BlindPeering(dht, peeringStore)
  peering.keyPair = (dht.constructor as typeof import('hyperdht').default).keyPair()
  t.teardown(
    async () => {
      await peering.close()
      await store.close()
    },
    { order: 10 }
  )
  return new BlindPeerClient(store, peering, z32.decode(blindPeerKey), stream)
}

/** Reads blocks [0, length) of `key` over a connection of its own to the blind peer alone. */
export async function readFromBlindPeer(
  t: Test,
  testnet: Testnet,
  blindPeerKey: string,
  key: Buffer,
  length: number
): Promise<Buffer[]> {
  const dht = testnet.createNode()
  const store = new Corestore(await tempDir(t))
  const socket = dht.connect(z32.decode(blindPeerKey), {
    keyPair: (dht.constructor as typeof import('hyperdht').default).keyPair()
  }) as unknown as { destroy(): void; on(event: 'error', listener: () => void): void }
  socket.on('error', () => {})
  t.teardown(
    async () => {
      socket.destroy()
      await store.close()
    },
    { order: 10 }
  )
  store.replicate(socket)
  const core = store.get({ key })
  await core.ready()
  const blocks: Buffer[] = []
  for (let i = 0; i < length; i++) {
    const block = await core.get(i)
    if (block === null) throw new Error(`block ${i} is not available`)
    blocks.push(block)
  }
  return blocks
}

export function block(size: number, fill = 0x61): Buffer {
  return b4a.alloc(size, fill)
}
