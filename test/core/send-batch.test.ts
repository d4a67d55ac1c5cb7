import test from 'brittle'
import type { Message } from '../../src/shared/api/contract.js'
import {
  allMessages,
  createLoopbackTestnet,
  roomWithMembers,
  until,
  type Testnet
} from '../helpers/index.js'

const SENDS = 300

test('sends made at once go out as a few appends, in the order they were made, each sent once', async (t) => {
  const testnet: Testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers

  const engine = bob.roomEngine(room)
  const append = engine.append.bind(engine)
  let appends = 0
  engine.append = (ops) => {
    appends++
    return append(ops)
  }
  const sentStates = new Map<string, number>()
  const offState = bob.onDidChangeMessageState(({ id, state }) => {
    if (state === 'sent') sentStates.set(id, (sentStates.get(id) ?? 0) + 1)
  })
  t.teardown(offState)

  const texts = Array.from({ length: SENDS }, (_, i) => `paste line ${i}`)
  const sent: Message[] = await Promise.all(texts.map((text) => bob.send(room, { text })))

  t.alike(
    sent.map((m) => m.text),
    texts,
    'each send resolves with its own message'
  )
  t.is(new Set(sent.map((m) => m.id)).size, SENDS, 'each with its own id')
  t.ok(appends < SENDS / 10, `${SENDS} sends went out in ${appends} appends`)
  const seqs = sent.map((m) => m.seq)
  t.ok(
    seqs.every((seq, i) => i === 0 || seq > seqs[i - 1]),
    'the timeline holds them in the order they were made'
  )

  const ids = sent.map((m) => m.id)
  const inOrder = async (peer: typeof alice): Promise<boolean> => {
    const mine = new Set(ids)
    const seen = (await allMessages(peer, room)).filter((m) => mine.has(m.id)).map((m) => m.id)
    return seen.join() === ids.join()
  }
  await until([alice], () => inOrder(alice))
  t.pass('the other member has all of them, in the same order')

  await until([bob], () => ids.every((id) => sentStates.has(id)))
  t.ok(
    ids.every((id) => sentStates.get(id) === 1),
    'each became sent exactly once'
  )
})
