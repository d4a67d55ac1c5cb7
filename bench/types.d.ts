// Declarations for the untyped modules only the benchmark uses.

declare module 'hyperbee' {
  import type Hypercore from 'hypercore'
  interface HyperbeeEntry {
    seq: number
    key: string
    value: Buffer
  }
  interface HyperbeeBatch {
    put(key: string, value: Buffer): Promise<void>
    flush(): Promise<void>
  }
  class Hyperbee {
    constructor(core: Hypercore, opts?: Record<string, unknown>)
    ready(): Promise<void>
    close(): Promise<void>
    get(key: string): Promise<HyperbeeEntry | null>
    createReadStream(
      range?: {
        gt?: string
        gte?: string
        lt?: string
        lte?: string
      },
      opts?: { reverse?: boolean; limit?: number }
    ): AsyncIterable<HyperbeeEntry>
    batch(opts?: { update?: boolean }): HyperbeeBatch
  }
  export type { HyperbeeEntry, HyperbeeBatch }
  export default Hyperbee
}
