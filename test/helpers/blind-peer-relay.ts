import { Client as RelayClient } from 'blind-relay'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import type { Test } from 'brittle'
import type { Testnet } from './index.js'

declare module 'blind-relay' {
  class BlindRelayRequest {
    on(event: 'data' | 'error', listener: (value: unknown) => void): this
    destroy(): void
  }
  export class Client {
    constructor(stream: unknown, opts?: { id?: Buffer })
    pair(isInitiator: boolean, token: Buffer, stream: unknown): BlindRelayRequest
    destroy(): void
  }
}

/** A peer of its own on the testnet that asks a blind peer to relay; it never moves data. */
export class RelayAsker {
  readonly publicKey: Buffer
  private _client: RelayClient
  private _dht: ReturnType<Testnet['createNode']>

  constructor(dht: ReturnType<Testnet['createNode']>, client: RelayClient, publicKey: Buffer) {
    this._dht = dht
    this._client = client
    this.publicKey = publicKey
  }

  /** Asks to pair under `token` (the other end asks with the same token). */
  pair(isInitiator: boolean, token: Buffer): void {
    const raw = this._dht.createRawStream({ framed: true })
    const request = this._client.pair(isInitiator, token, raw)
    request.on('error', () => {})
    request.on('data', () => {})
  }
}

export async function createRelayAsker(t: Test, testnet: Testnet, blindPeerKey: string) {
  const dht = testnet.createNode()
  const keyPair = crypto.keyPair()
  const socket = dht.connect(z32.decode(blindPeerKey), { keyPair }) as unknown as {
    opened: Promise<boolean>
    destroy(): void
    on(event: 'error', listener: () => void): void
  }
  socket.on('error', () => {})
  await socket.opened
  const client = new RelayClient(socket, { id: keyPair.publicKey })
  t.teardown(() => socket.destroy(), { order: 10 })
  return new RelayAsker(dht, client, keyPair.publicKey)
}
