import BlindPeer from 'blind-peer'

/**
 * The blind-peer service with a hard storage cap: once full it refuses cores it does not hold
 * yet and keeps serving (and updating) the ones it has. blind-peer's own answer to a cap is to
 * garbage-collect old cores, which would lose rooms' history, so its GC is off.
 */
export class CappedBlindPeer extends BlindPeer {
  readonly maxStorage: number

  constructor(rocksDir: string, opts: Record<string, unknown> & { maxStorage: number }) {
    super(rocksDir, { ...opts, enableGc: false, maxBytes: Number.MAX_SAFE_INTEGER })
    this.maxStorage = opts.maxStorage
  }

  get full(): boolean {
    return this.digest.bytesAllocated >= this.maxStorage
  }

  // blind-peer calls these through `self._onaddcores` per request, so overriding them is enough
  override async _onaddcores(
    stream: unknown,
    request: { cores: Array<{ key: Buffer; length: number }> }
  ): Promise<unknown> {
    if (!this.full) return super._onaddcores(stream, request)
    const held = []
    for (const core of request.cores) {
      if ((await this.db.getCoreRecord(core.key)) !== null) held.push(core)
    }
    const refused = request.cores.length - held.length
    if (refused > 0) this.emit('refused-cores', refused)
    if (held.length === 0) return null
    return super._onaddcores(stream, { ...request, cores: held })
  }

  override async _onaddcore(stream: unknown, record: { key: Buffer }): Promise<unknown> {
    if (this.full && (await this.db.getCoreRecord(record.key)) === null) {
      this.emit('refused-cores', 1)
      throw new Error('Blind peer storage is full')
    }
    return super._onaddcore(stream, record)
  }
}
