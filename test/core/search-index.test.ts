import test from 'brittle'
import { SearchIndex } from '../../src/core/search/search-index.js'

test('search index: newest first, edits replace, compaction keeps what is indexed, damaged files are refused', (t) => {
  const index = new SearchIndex()
  index.put('r', 'a.0', 0, 100, 'Café at noon')
  index.put('r', 'a.1', 1, 200, 'the cafe is closed')
  index.put('s', 'b.0', 0, 150, 'cafés everywhere')
  t.alike(
    index.query('caf', { limit: 10 }).map((h) => h.id),
    ['a.1', 'b.0', 'a.0'],
    'every match, newest first'
  )
  t.alike(
    index.query('caf', { limit: 10, room: 's' }).map((h) => h.id),
    ['b.0'],
    'one room'
  )
  t.alike(
    index.query('noon caf', { limit: 10 }).map((h) => h.id),
    ['a.0'],
    'every word'
  )
  for (let i = 0; i < 50; i++) index.put('r', 'a.1', 1, 200, `edit ${i}`)
  t.alike(index.query('closed', { limit: 10 }), [], 'edited-away text is gone')
  index.put('r', 'a.0', 0, 100, '')
  t.is(index.size, 2, 'a deleted message leaves')
  const json = index.toJSON() // compacts: 51 dropped, 2 kept
  const again = SearchIndex.fromJSON(json)
  t.ok(again !== null, 'it reads back')
  t.is(JSON.parse(json).docs.length, 2, 'compaction numbered the kept ones anew')
  t.alike(
    again?.query('edit 49', { limit: 10 }).map((h) => h.id),
    ['a.1']
  )
  t.alike(
    again?.query('caf', { limit: 10 }).map((h) => h.id),
    ['b.0']
  )
  for (const bad of [
    '{}',
    JSON.stringify({ format: 3, upTo: [], docs: [[1, 2]], terms: [] }),
    JSON.stringify({ format: 3, upTo: [], docs: [null], terms: [['x', [5]]] }),
    JSON.stringify({ format: 3, upTo: [['r', { messages: 'x' }]], docs: [], terms: [] }),
    'not json'
  ]) {
    t.is(SearchIndex.fromJSON(bad), null, `refused: ${bad.slice(0, 40)}`)
  }
})
