// Minimal declarations for the untyped Holepunch modules Roost uses: only what it calls.

declare module 'b4a' {
  const b4a: {
    from(input: string, encoding?: string): Buffer
    from(input: Uint8Array | number[]): Buffer
    toString(buf: Uint8Array, encoding?: string): string
    equals(a: Uint8Array, b: Uint8Array): boolean
    alloc(size: number, fill?: number): Buffer
    allocUnsafe(size: number): Buffer
    concat(list: Uint8Array[]): Buffer
    byteLength(input: string, encoding?: string): number
    isBuffer(value: unknown): value is Buffer
  }
  export default b4a
}

declare module 'z32' {
  const z32: { encode(buf: Uint8Array): string; decode(str: string): Buffer }
  export default z32
}

declare module 'hypercore-crypto' {
  const crypto: {
    keyPair(seed?: Buffer): { publicKey: Buffer; secretKey: Buffer }
    sign(message: Buffer, secretKey: Buffer): Buffer
    verify(message: Buffer, signature: Buffer, publicKey: Buffer): boolean
    randomBytes(n: number): Buffer
    hash(data: Buffer | Buffer[]): Buffer
    discoveryKey(key: Buffer): Buffer
  }
  export default crypto
}

declare module 'compact-encoding' {
  interface State {
    start: number
    end: number
    buffer: Buffer | null
  }
  interface Encoding<T> {
    preencode(state: State, value: T): void
    encode(state: State, value: T): void
    decode(state: State): T
  }
  const c: {
    uint: Encoding<number>
    string: Encoding<string>
    buffer: Encoding<Buffer | null>
    fixed32: Encoding<Buffer>
    fixed64: Encoding<Buffer>
    raw: Encoding<Buffer>
    array<T>(enc: Encoding<T>): Encoding<T[]>
    state(): State
    encode<T>(enc: Encoding<T>, value: T): Buffer
    decode<T>(enc: Encoding<T>, buf: Buffer): T
  }
  export type { State, Encoding }
  export default c
}

declare module 'hypercore' {
  import { EventEmitter } from 'events'
  interface HypercorePeer {
    remoteLength: number
    remoteContiguousLength: number
    remotePublicKey: Buffer
    stream: import('hyperswarm').SwarmConnection
  }
  class Hypercore extends EventEmitter {
    key: Buffer
    discoveryKey: Buffer
    length: number
    /** Grows by one with every truncation. */
    fork: number
    contiguousLength: number
    remoteContiguousLength: number
    peers: HypercorePeer[]
    closed: boolean
    keyPair: { publicKey: Buffer; secretKey: Buffer | null } | null
    ready(): Promise<void>
    close(): Promise<void>
    get(index: number, opts?: { wait?: boolean; timeout?: number }): Promise<Buffer | null>
    has(start: number, end?: number): Promise<boolean>
    download(range: { start: number; end: number; linear?: boolean }): { destroy(): void }
    clear(start: number, end: number): Promise<unknown>
    session(opts?: Record<string, unknown>): Hypercore
  }
  export type { HypercorePeer }
  export default Hypercore
}

declare module 'hypercore-storage' {
  /** The RocksDB under a Corestore; options pass through to its column family. */
  class CoreStorage {
    constructor(directory: string, opts?: { writeBufferSize?: number })
  }
  export default CoreStorage
}

declare module 'corestore' {
  import type Hypercore from 'hypercore'
  import type CoreStorage from 'hypercore-storage'
  class Corestore {
    constructor(storage: string | CoreStorage, opts?: Record<string, unknown>)
    ready(): Promise<void>
    close(): Promise<void>
    namespace(name: string | Buffer): Corestore
    get(opts: Record<string, unknown> | Buffer | string): Hypercore
    replicate(stream: unknown): unknown
  }
  export default Corestore
}

declare module 'protomux-wakeup' {
  /** Tells peers which writers have nodes to order, per base, over each connection's mux. */
  class WakeupSwarm {
    constructor()
    addStream(stream: unknown): void
    destroy(): void
  }
  export default WakeupSwarm
}

declare module 'autobase' {
  import { EventEmitter } from 'events'
  import type Corestore from 'corestore'
  import type Hypercore from 'hypercore'
  interface ApplyNode {
    value: Buffer | null
    from: { key: Buffer }
    length: number
    /** From a core that is not (yet) a writer: kept only if apply acks or adds that writer. */
    optimistic?: boolean
  }
  interface ApplyHost {
    addWriter(key: Buffer, opts?: { indexer?: boolean }): Promise<void>
    ackWriter(key: Buffer): Promise<void>
    removeWriter(key: Buffer): Promise<void>
    removeable(key: Buffer): boolean
    fork(indexers: Buffer[], system: { key: Buffer; length: number }): Promise<boolean>
  }
  interface ViewChanges {
    /** from: length before; to: after; shared: how much of `from` was kept (below from: truncated). */
    get(name: string): { from: number; to: number; shared: number } | undefined
  }
  interface AutobaseOptions<V> {
    open(store: Corestore): V
    apply(nodes: ApplyNode[], view: V, host: ApplyHost): Promise<void>
    close?(view: V): Promise<void>
    /** After each applied update and fast-forward: how far each named view moved. */
    update?(view: V, changes: ViewChanges): Promise<void> | void
    encrypt?: boolean
    encryptionKey?: Buffer | null
    ackInterval?: number
    /** Our writer core's key pair: the base's first core when the key is its core key. */
    keyPair?: { publicKey: Buffer; secretKey: Buffer }
    /** Non-writers may append optimistic blocks (see `append`). */
    optimistic?: boolean
    valueEncoding?: unknown
    /** One wakeup swarm for every base replicated over the same connections (see WakeupSwarm). */
    wakeup?: import('protomux-wakeup').default
  }
  class Autobase<V = unknown> extends EventEmitter {
    constructor(store: Corestore, key: Buffer | null, opts: AutobaseOptions<V>)
    key: Buffer
    discoveryKey: Buffer
    encryptionKey: Buffer
    wakeupCapability: { key: Buffer; discoveryKey: Buffer }
    local: Hypercore
    core: Hypercore
    view: V
    writable: boolean
    isIndexer: boolean
    closing: Promise<void> | null
    closed: boolean
    opened: boolean
    indexedLength: number
    signedLength: number
    system: {
      core: Hypercore
      indexers: Array<{ key: Buffer }>
      checkout(length: number): Promise<{
        get(key: Buffer): Promise<{ length: number; isIndexer: boolean; isRemoved: boolean } | null>
        close(): Promise<void>
      }>
    }
    ready(): Promise<void>
    close(): Promise<void>
    update(): Promise<void>
    append(value: Buffer | Buffer[] | null, opts?: { optimistic?: boolean }): Promise<number>
    static getLocalCore(store: Corestore, handlers?: unknown, encryptionKey?: Buffer): Hypercore
  }
  export type { ApplyNode, ApplyHost, ViewChanges }
  export default Autobase
}

declare module 'hyperswarm' {
  import { EventEmitter } from 'events'
  import type { Duplex } from 'stream'
  interface SwarmConnection extends Duplex {
    remotePublicKey: Buffer
    rawBytesRead: number
    rawBytesWritten: number
    relay: unknown
    rawStream: { remoteHost: string; remotePort: number; rtt?: number } | null
  }
  interface PeerInfo {
    publicKey: Buffer
    topics: Buffer[]
    /** A hole-punch with this peer failed: later connects go through a relay if one is set. */
    forceRelaying: boolean
    banned: boolean
  }
  interface Discovery {
    flushed(): Promise<void>
    refresh(opts?: { client?: boolean; server?: boolean }): Promise<void>
    destroy(): Promise<void>
  }
  class Hyperswarm extends EventEmitter {
    constructor(opts?: Record<string, unknown>)
    dht: import('hyperdht').default
    keyPair: { publicKey: Buffer; secretKey: Buffer }
    connections: Set<SwarmConnection>
    peers: Map<string, PeerInfo>
    join(topic: Buffer, opts?: { server?: boolean; client?: boolean }): Discovery
    leave(topic: Buffer): Promise<void>
    flush(): Promise<void>
    destroy(): Promise<void>
    on(event: 'connection', listener: (conn: SwarmConnection, info: PeerInfo) => void): this
    on(event: 'update', listener: () => void): this
  }
  export type { Discovery, SwarmConnection, PeerInfo }
  export default Hyperswarm
}

declare module 'hyperdht' {
  interface RawStream {
    id: number
    remoteHost: string
    remotePort: number
    rtt?: number
  }
  interface DhtSocket {
    remotePublicKey: Buffer
    rawStream: RawStream | null
    once(event: 'open' | 'close', listener: () => void): void
    on(event: 'error', listener: (err: Error & { code?: string }) => void): void
  }
  class HyperDHT {
    constructor(opts?: Record<string, unknown>)
    static keyPair(seed?: Buffer): { publicKey: Buffer; secretKey: Buffer }
    firewalled: boolean
    bootstrapped: boolean
    /** The NAT maps every destination to a new port (symmetric): hole-punching cannot work both ways. */
    randomized: boolean
    online: boolean
    degraded: boolean
    table: { size: number }
    host: string | null
    port: number
    connect(publicKey: Buffer, opts?: Record<string, unknown>): DhtSocket
    createRawStream(opts?: Record<string, unknown>): RawStream
    ready(): Promise<void>
    destroy(): Promise<void>
  }
  export type { DhtSocket, RawStream }
  export default HyperDHT
}

declare module 'blind-relay' {
  import { EventEmitter } from 'events'
  import type { Duplex } from 'stream'
  class BlindRelaySession extends EventEmitter {
    on(event: 'error', listener: (err: Error) => void): this
    on(
      event: 'pair',
      listener: (isInitiator: boolean, token: Buffer, stream: unknown, remoteId: number) => void
    ): this
    on(event: 'close', listener: () => void): this
    destroy(err?: Error): void
  }
  export class Server {
    readonly sessions: Iterable<BlindRelaySession>
    constructor(opts: { createStream(opts: Record<string, unknown>): unknown })
    accept(stream: Duplex, opts?: { id?: Buffer }): BlindRelaySession
    close(): Promise<void>
    stats: { pairings: { matched: number; active: number }; sessions: { active: number } }
  }
}

declare module 'hyperdht/testnet.js' {
  import type HyperDHT from 'hyperdht'
  interface Testnet {
    bootstrap: Array<{ host: string; port: number }>
    nodes: HyperDHT[]
    createNode(opts?: Record<string, unknown>): HyperDHT
    destroy(): Promise<void>
  }
  export default function createTestnet(
    size?: number,
    opts?: Record<string, unknown>
  ): Promise<Testnet>
}

declare module 'blind-pairing' {
  import type Hyperswarm from 'hyperswarm'
  import { EventEmitter } from 'events'
  interface CreatedInvite {
    id: Buffer
    invite: Buffer
    publicKey: Buffer
    expires: number
    seed: Buffer
    discoveryKey: Buffer
  }
  interface MemberRequest {
    inviteId: Buffer
    open(publicKey: Buffer): Buffer
    confirm(result: { key: Buffer; encryptionKey?: Buffer; additional?: unknown }): void
    deny(opts?: { status?: number }): void
  }
  interface PairingResult {
    key: Buffer
    encryptionKey: Buffer
    data: Buffer | null
  }
  interface Candidate {
    request: EventEmitter
    paired: PairingResult | null
    close(): Promise<void>
  }
  interface Member {
    flushed(): Promise<void>
    close(): Promise<void>
  }
  class BlindPairing {
    constructor(swarm: Hyperswarm, opts?: { poll?: number })
    addMember(opts: {
      discoveryKey: Buffer
      onadd(request: MemberRequest): Promise<void> | void
    }): Member
    addCandidate(opts: {
      invite: Buffer
      userData: Buffer
      onadd(result: PairingResult): Promise<void> | void
    }): Candidate
    close(): Promise<void>
    static createInvite(
      key: Buffer,
      opts?: { expires?: number; discoveryKey?: Buffer; seed?: Buffer }
    ): CreatedInvite
    static decodeInvite(invite: Buffer): {
      id: Buffer
      seed: Buffer
      discoveryKey: Buffer
      expires: number
    }
  }
  export type { MemberRequest, Candidate, Member, PairingResult }
  export default BlindPairing
}

declare module 'hyperdb' {
  import type Hypercore from 'hypercore'
  interface QueryStream<T> {
    toArray(): Promise<T[]>
  }
  class HyperDB {
    static bee(core: Hypercore, spec: unknown, opts?: Record<string, unknown>): HyperDB
    get<T = any>(collection: string, key: Record<string, unknown>): Promise<T | null>
    find<T = any>(
      collection: string,
      query?: Record<string, unknown>,
      opts?: { reverse?: boolean; limit?: number }
    ): QueryStream<T>
    insert(collection: string, record: Record<string, unknown>): Promise<void>
    delete(collection: string, key: Record<string, unknown>): Promise<void>
    flush(): Promise<void>
    close(): Promise<void>
    /** The hypercore the view is written to. */
    readonly core: Hypercore
    ready(): Promise<void>
    /** A read-only view of the current state. */
    snapshot(): HyperDB
  }
  export default HyperDB
}

declare module 'blind-peering' {
  import type Autobase from 'autobase'
  import type Corestore from 'corestore'
  import type HyperDHT from 'hyperdht'
  class BlindPeering {
    constructor(dht: HyperDHT, store: Corestore, opts?: { keys?: Buffer[] })
    /** Read when dialing a blind peer (not a constructor option in 2.0.1). */
    keyPair?: { publicKey: Buffer; secretKey: Buffer }
    addAutobaseBackground(base: Autobase<any>, opts?: { keys?: Buffer[]; pick?: number }): void
    addCoreBackground(
      core: import('hypercore').default,
      opts?: { keys?: Buffer[]; pick?: number; referrer?: Buffer }
    ): void
    close(): Promise<void>
  }
  export default BlindPeering
}

declare module 'blind-peer' {
  import { EventEmitter } from 'events'
  import type Hyperswarm from 'hyperswarm'
  import type Corestore from 'corestore'
  class BlindPeer extends EventEmitter {
    constructor(rocks: string, opts?: Record<string, unknown>)
    publicKey: Buffer
    store: Corestore
    swarm: Hyperswarm
    db: { getCoreRecord(key: Buffer): Promise<unknown | null> }
    digest: { cores: number; bytesAllocated: number }
    closing: Promise<void> | null
    ready(): Promise<void>
    listen(): Promise<void>
    flush(): Promise<void>
    close(): Promise<void>
    _onaddcores(
      stream: unknown,
      request: { cores: Array<{ key: Buffer; length: number }> }
    ): Promise<unknown>
    _onaddcore(stream: unknown, record: { key: Buffer }): Promise<unknown>
  }
  export default BlindPeer
}

declare module 'sodium-native' {
  const sodium: {
    crypto_box_SEALBYTES: number
    crypto_box_PUBLICKEYBYTES: number
    crypto_box_SECRETKEYBYTES: number
    crypto_secretbox_NONCEBYTES: number
    crypto_secretbox_MACBYTES: number
    crypto_secretbox_KEYBYTES: number
    crypto_box_seal(out: Buffer, message: Buffer, publicKey: Buffer): void
    crypto_box_seal_open(out: Buffer, box: Buffer, publicKey: Buffer, secretKey: Buffer): boolean
    crypto_sign_ed25519_pk_to_curve25519(out: Buffer, ed25519PublicKey: Buffer): void
    crypto_sign_ed25519_sk_to_curve25519(out: Buffer, ed25519SecretKey: Buffer): void
    crypto_secretbox_easy(out: Buffer, message: Buffer, nonce: Buffer, key: Buffer): void
    crypto_secretbox_open_easy(out: Buffer, box: Buffer, nonce: Buffer, key: Buffer): boolean
    randombytes_buf(out: Buffer): void
    crypto_generichash(out: Buffer, input: Buffer, key?: Buffer): void
    crypto_generichash_STATEBYTES: number
    crypto_generichash_init(state: Buffer, key: Buffer | null, outputLength: number): void
    crypto_generichash_update(state: Buffer, input: Buffer): void
    crypto_generichash_final(state: Buffer, out: Buffer): void
    crypto_stream_xchacha20_KEYBYTES: number
    crypto_stream_xchacha20_NONCEBYTES: number
    crypto_stream_xchacha20_xor_ic(
      out: Buffer,
      message: Buffer,
      nonce: Buffer,
      ic: number,
      key: Buffer
    ): void
  }
  export default sodium
}

declare module 'hyperblobs' {
  import type Hypercore from 'hypercore'
  interface BlobId {
    blockOffset: number
    blockLength: number
    byteOffset: number
    byteLength: number
  }
  /** A streamx Writable: each write is one block. */
  interface BlobWriteStream {
    id: BlobId
    write(chunk: Buffer): boolean
    end(): void
    destroy(err?: Error): void
    once(event: 'drain' | 'close' | 'finish', listener: () => void): void
    once(event: 'error', listener: (err: Error) => void): void
    off(event: string, listener: (...args: never[]) => void): void
  }
  class Hyperblobs {
    constructor(core: Hypercore, opts?: { blockSize?: number })
    readonly core: Hypercore
    readonly key: Buffer
    ready(): Promise<void>
    close(): Promise<void>
    createWriteStream(): BlobWriteStream
    clear(id: BlobId): Promise<unknown>
  }
  export default Hyperblobs
}

declare module 'hyperbee' {
  import type Hypercore from 'hypercore'
  interface HyperbeeEntry<K = string, V = Buffer> {
    seq: number
    key: K
    value: V
  }
  interface HyperbeeBatch<K = string, V = Buffer> {
    get(key: K): Promise<HyperbeeEntry<K, V> | null>
    put(key: K, value: V): Promise<void>
    del(key: K): Promise<void>
    flush(): Promise<void>
    createReadStream(range?: {
      gt?: K
      gte?: K
      lt?: K
      lte?: K
    }): AsyncIterable<HyperbeeEntry<K, V>>
  }
  class Hyperbee<K = string, V = Buffer> {
    constructor(core: Hypercore, opts?: Record<string, unknown>)
    ready(): Promise<void>
    close(): Promise<void>
    get(key: K): Promise<HyperbeeEntry<K, V> | null>
    put(key: K, value: V): Promise<void>
    batch(opts?: { update?: boolean }): HyperbeeBatch<K, V>
    createReadStream(
      range?: { gt?: K; gte?: K; lt?: K; lte?: K },
      opts?: { reverse?: boolean; limit?: number }
    ): AsyncIterable<HyperbeeEntry<K, V>>
  }
  export type { HyperbeeEntry, HyperbeeBatch }
  export default Hyperbee
}
