import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import { createRoost, type Roost } from '../../src/core/roost.js'
import type { SearchIndexer } from '../../src/core/search/search-indexer.js'
import { bootstrapOf, createLoopbackTestnet, roomWithMembers, untilRoom } from '../helpers/index.js'

function indexerOf(roost: Roost): SearchIndexer {
  return (roost as unknown as { _ctx: { search: SearchIndexer } })._ctx.search
}

const texts = async (roost: Roost, query: string, room?: string): Promise<string[]> =>
  (await roost.search(query, { room })).map((m) => m.text)

test('search: accents, case and prefixes; edits and deletes; one room or all; kept sealed across restarts', async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers
  const cafe = await alice.send(room, { text: 'Meet at Café Müller, Hauptstraße 5' })
  const there = await alice.send(room, { text: 'see you there' })
  await untilRoom(peers, room, async () =>
    (await bob.messages(room)).messages.some((m) => m.id === there.id)
  )

  t.alike(
    await texts(bob, 'cafe muller'),
    ['Meet at Café Müller, Hauptstraße 5'],
    'accents and case do not matter'
  )
  t.alike(
    await texts(bob, 'MÜLL'),
    ['Meet at Café Müller, Hauptstraße 5'],
    'the last word is a prefix'
  )
  t.alike(await texts(bob, 'haupt'), ['Meet at Café Müller, Hauptstraße 5'])
  t.alike(await texts(bob, 'cafe there'), [], 'every word must be in one message')
  t.alike(await texts(bob, '   '), [], 'an empty query finds nothing')

  await alice.edit(room, cafe.id, { text: 'Meet at Bar Rosa instead' })
  await untilRoom([bob], room, async () => (await texts(bob, 'rosa')).length === 1)
  t.alike(await texts(bob, 'muller'), [], 'edited-away text is not found')
  await alice.delete(room, cafe.id)
  await untilRoom([bob], room, async () => (await texts(bob, 'rosa')).length === 0)
  t.pass('deleted text is not found')

  const other = await bob.createRoom({ name: 'notes' })
  await bob.send(other.id, { text: 'see the dentist' })
  // the index takes a message from the room's event for it (search waits for what is queued)
  await untilRoom([bob], other.id, async () => (await texts(bob, 'dentist')).length === 1)
  t.alike((await texts(bob, 'see')).sort(), ['see the dentist', 'see you there'], 'every room')
  t.alike(await texts(bob, 'see', other.id), ['see the dentist'], 'or one')

  // survives a restart, sealed: the file names no word of any message
  const dataDir = bob.dataDir
  await indexerOf(bob).idle()
  await bob.close()
  const file = path.join(dataDir, 'search-index')
  const sealed = await fs.readFile(file, 'utf8')
  t.ok(!/dentist|hauptstr/i.test(sealed), 'the index file is sealed')
  const reopen = async (): Promise<Roost> => {
    const roost = await createRoost({
      dataDir,
      bootstrap: bootstrapOf(testnet),
      host: '127.0.0.1',
      offline: false
    })
    t.teardown(() => roost.close(), { order: 0 })
    return roost
  }
  const again = await reopen()
  t.alike(await texts(again, 'dentist'), ['see the dentist'])
  t.is(indexerOf(again).loadedFrom, 'disk', 'read from its file after a restart')
  await again.close()

  await fs.writeFile(file, 'garbage')
  const rebuilt = await reopen()
  t.alike(
    (await texts(rebuilt, 'see')).sort(),
    ['see the dentist', 'see you there'],
    'a damaged index is rebuilt from the rooms'
  )
  t.is(indexerOf(rebuilt).loadedFrom, 'rebuilt')
})
