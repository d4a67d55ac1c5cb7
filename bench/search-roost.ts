// The search bench's steps, each in a fresh process (bench/cold-proc.ts): a room of people-like
// messages is built through the RoostApi on an offline core, then reopened, and the device's
// index is loaded from disk and queried through `search`.
// argv: <step> <dataDir> <params JSON>
import fs from 'fs/promises'
import path from 'path'
import { createRoost, type Roost } from '../src/core/roost.js'
import type { SearchIndexer } from '../src/core/search/search-indexer.js'
import { memoryAfterGc, serveStep } from './cold-proc.js'
import { log, nowNs, nsToMs, percentile } from './lib.js'

const ROUND = 4096

/** A seeded PRNG (mulberry32): every run writes and asks the same. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = a
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/** A vocabulary of 5,000 words, some with accents, drawn Zipf-like (a few words are most of it). */
function vocabulary(random: () => number): string[] {
  const syllables = [
    'ka',
    'lo',
    'mé',
    'ri',
    'tu',
    'sa',
    'nö',
    'pe',
    'di',
    'gå',
    'ba',
    'zu',
    'fi',
    'ço'
  ]
  const words = new Set<string>()
  while (words.size < 5000) {
    let w = ''
    for (let n = 2 + Math.floor(random() * 3); n > 0; n--)
      w += syllables[Math.floor(random() * syllables.length)]
    words.add(w)
  }
  return [...words]
}

function zipf(random: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(Math.pow(n, random()) - 1))
}

function sentence(random: () => number, words: string[]): string {
  const out: string[] = []
  for (let n = 4 + Math.floor(random() * 12); n > 0; n--)
    out.push(words[zipf(random, words.length)])
  return out.join(' ')
}

const indexerOf = (roost: Roost): SearchIndexer =>
  (roost as unknown as { _ctx: { search: SearchIndexer } })._ctx.search

async function build(dataDir: string, { count }: { count: number }): Promise<{ room: string }> {
  const random = prng(13)
  const words = vocabulary(random)
  const roost = await createRoost({ dataDir, offline: true })
  try {
    await roost.init({ name: 'search' })
    const room = (await roost.createRoom({ name: 'search' })).id
    await indexerOf(roost).idle()
    // the index follows the room's message events: the build ends once all have come
    let announced = 0
    const allAnnounced = new Promise<void>((resolve) =>
      roost.onDidReceiveMessage(() => {
        if (++announced === count) resolve()
      })
    )
    for (let first = 0; first < count; first += ROUND) {
      const n = Math.min(ROUND, count - first)
      const texts = Array.from({ length: n }, () => sentence(random, words))
      await Promise.all(texts.map((text) => roost.send(room, { text })))
      if ((first / ROUND) % 5 === 0) log(`search build: ${first + n} of ${count} sent`)
    }
    await allAnnounced
    await indexerOf(roost).idle()
    return { room }
  } finally {
    await roost.close()
  }
}

export interface SearchResult {
  count: number
  /** Reopen → the index loaded from its file and caught up (what the first search waits for). */
  loadMs: number
  /** Queries through `search` over the whole room: one word, two words, a word's start. */
  queries: number
  p50Ms: number
  p99Ms: number
  /** The JS heap the loaded index takes (after GC, with it minus before it). */
  heapBytes: number
  /** The sealed index file. */
  diskBytes: number
  hitsPerQuery: number
}

async function search(dataDir: string, { count }: { count: number }): Promise<SearchResult> {
  const random = prng(13)
  const words = vocabulary(random)
  const before = (await memoryAfterGc()).heapUsedBytes
  const roost = await createRoost({ dataDir, offline: true })
  try {
    const start = nowNs()
    await indexerOf(roost).idle()
    const loadMs = nsToMs(nowNs() - start)
    const heapBytes = (await memoryAfterGc()).heapUsedBytes - before
    const queryRandom = prng(7)
    const pick = (): string => words[zipf(queryRandom, words.length)]
    const times: number[] = []
    let hits = 0
    for (let i = 0; i < 300; i++) {
      const kind = i % 3
      const q = kind === 0 ? pick() : kind === 1 ? `${pick()} ${pick()}` : pick().slice(0, 3)
      const t0 = nowNs()
      hits += (await roost.search(q)).length
      times.push(nsToMs(nowNs() - t0))
    }
    const diskBytes = (await fs.stat(path.join(dataDir, 'search-index'))).size
    return {
      count,
      loadMs,
      queries: times.length,
      p50Ms: percentile(times, 50),
      p99Ms: percentile(times, 99),
      heapBytes,
      diskBytes,
      hitsPerQuery: hits / times.length
    }
  } finally {
    await roost.close()
  }
}

serveStep({ 'search-build': build, search })
