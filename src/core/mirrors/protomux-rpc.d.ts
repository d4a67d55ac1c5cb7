declare module 'protomux-rpc' {
  import { EventEmitter } from 'events'
  import type { Encoding } from 'compact-encoding'
  interface MethodOptions<Req, Res> {
    requestEncoding?: Encoding<Req>
    responseEncoding?: Encoding<Res>
  }
  class ProtomuxRPC extends EventEmitter {
    constructor(stream: unknown, opts?: { id?: Buffer; protocol?: string })
    readonly opened: boolean
    readonly closed: boolean
    respond<Req, Res>(
      method: string,
      opts: MethodOptions<Req, Res>,
      handler: (request: Req) => Res | Promise<Res>
    ): void
    request<Req, Res>(
      method: string,
      value: Req,
      opts?: MethodOptions<Req, Res> & { timeout?: number }
    ): Promise<Res>
    /** Resolves once open or closed (no value: read `opened`). */
    fullyOpened(): Promise<void>
    destroy(err?: Error): void
  }
  export default ProtomuxRPC
}

declare module 'protomux' {
  class Protomux {
    static from(stream: unknown): Protomux
    /** Calls `notify` when the remote opens a channel of `protocol` we have not opened. */
    pair(opts: { protocol: string; id?: Buffer | null }, notify: (id: Buffer | null) => void): void
    unpair(opts: { protocol: string; id?: Buffer | null }): void
  }
  export default Protomux
}
