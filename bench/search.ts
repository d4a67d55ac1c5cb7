// Search over a room of 100,000 messages (issue #13: a query ≤ 50 ms), with the index's memory
// and disk. There is no raw baseline: the raw stack has no search. Steps in bench/search-roost.ts.
import fs from 'fs/promises'
import path from 'path'
import { runStep } from './cold-proc.js'
import { log } from './lib.js'
import type { SearchResult } from './search-roost.js'
import { fmt, table } from './table.js'

export type { SearchResult }

export async function searchFigures(root: string, count: number): Promise<SearchResult> {
  const dir = path.join(root, 'search')
  try {
    log(`search: building a room of ${count} messages`)
    await runStep('search-roost.js', 'search-build', dir, { count })
    log('search: reopening it and querying')
    return await runStep<SearchResult>('search-roost.js', 'search', dir, { count }, true)
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

const MB = 2 ** 20

export function searchLines(r: SearchResult): string[] {
  const body = [
    ['search: query p50', 'ms', fmt(r.p50Ms)],
    ['search: query p99', 'ms', fmt(r.p99Ms)],
    ['search: index loaded after reopen', 'ms', fmt(r.loadMs)],
    ['search: index memory (JS heap)', 'MB', fmt(r.heapBytes / MB)],
    ['search: index on disk', 'MB', fmt(r.diskBytes / MB)],
    ['search: index on disk per message', 'B', fmt(r.diskBytes / r.count)]
  ]
  return [
    '',
    `Search over ${r.count} messages (one room, ${r.queries} queries through RoostApi.search: one word, two words, a word's start; ${fmt(r.hitsPerQuery)} hits each on average, at most 20: the app's page of results); no raw baseline`,
    '',
    table(['figure', 'unit', 'Roost'], body),
    'target: a query ≤ 50 ms'
  ]
}
