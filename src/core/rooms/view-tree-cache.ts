import type HyperDB from 'hyperdb'
import type Hypercore from 'hypercore'

/** hyperbee's per-tree caches of decoded blocks, by block number (private fields). */
interface SeqCache {
  get(seq: number): unknown
  set(seq: number, value: unknown): void
  gc(length: number): void
  clear(): void
}

interface BeeTree {
  _keyCache: SeqCache | null
  _nodeCache: SeqCache | null
}

interface BeeEngine {
  core: Hypercore
  db: BeeTree
  snapshot(): { snapshot: BeeTree }
}

const CACHES = ['_keyCache', '_nodeCache'] as const

/**
 * Lets every snapshot of a HyperDB view read through the view tree's own block caches.
 *
 * HyperDB takes a new hyperbee snapshot after every flush, and hyperbee gives each snapshot
 * empty caches. In a room, where apply flushes once per batch, every message then walked the
 * tree from storage: ~40 RocksDB reads per message apply, and the reason a send took twice the
 * raw stack's time. A block below the view's length does not change until the view is
 * truncated, and the tree's caches already drop truncated blocks (hyperbee's 'truncate'
 * handler). A snapshot therefore shares them only while the view's fork is the one it was taken
 * at: after a truncation it reads its own (older) blocks from storage and caches nothing, so
 * it can never put a block of an undone fork into the shared cache.
 *
 * Upstream fix this stands in for: hyperbee `checkout()`/`snapshot()` sharing the tree's caches
 * (fork-guarded) so HyperDB's bee engine gets this for free.
 */
export function shareSnapshotCaches(db: HyperDB): HyperDB {
  const engine = (db as unknown as { engine: BeeEngine }).engine
  const snapshot = engine.snapshot.bind(engine)
  engine.snapshot = () => {
    const taken = snapshot()
    const fork = engine.core.fork
    const current = (name: (typeof CACHES)[number]): SeqCache | null =>
      engine.core.fork === fork ? engine.db[name] : null
    for (const name of CACHES) {
      const shared: SeqCache = {
        get: (seq) => current(name)?.get(seq) ?? null,
        set: (seq, value) => current(name)?.set(seq, value),
        gc: () => {},
        clear: () => {}
      }
      // hyperbee assigns its own empty caches when the snapshot opens: keep ours
      Object.defineProperty(taken.snapshot, name, { get: () => shared, set: () => {} })
    }
    return taken
  }
  return db
}
