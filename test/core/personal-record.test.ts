import test from 'brittle'
import b4a from 'b4a'
import Corestore from 'corestore'
import crypto from 'hypercore-crypto'
import WakeupSwarm from 'protomux-wakeup'
import z32 from 'z32'
import {
  bindWriter,
  deviceProof,
  identityFromPhrase,
  newPhrase
} from '../../src/core/identity/identity-key.js'
import { PersonalRecord } from '../../src/core/record/personal-record.js'
import { recordKeysOf } from '../../src/core/record/record-keys.js'
import { encodeRecordOp } from '../../src/core/record/record-ops.js'
import { tempDir } from '../helpers/index.js'

async function device(
  t: Parameters<Parameters<typeof test>[2]>[0],
  first: boolean,
  phrase: string
) {
  const identity = await identityFromPhrase(phrase)
  const keys = recordKeysOf(identity.keyPair.secretKey)
  const store = new Corestore(await tempDir(t))
  const wakeup = new WakeupSwarm()
  const record = new PersonalRecord(store, {
    key: keys.key,
    encryptionKey: keys.encryptionKey,
    identity: identity.publicKey,
    signer: first ? keys.signer : null,
    wakeup
  })
  await record.ready()
  t.teardown(async () => {
    await record.close()
    await store.close()
    wakeup.destroy()
  })
  const dev = crypto.keyPair()
  const proof = await deviceProof(identity, dev.publicKey)
  const binding = (): Buffer => bindWriter(record.discoveryKey, record.writerKey, dev, proof)
  return { record, store, keys, binding, identity, wakeup, dev }
}

interface Side {
  store: Corestore
  wakeup: WakeupSwarm
}

function replicate(a: Side, b: Side): void {
  const s1 = a.store.replicate(true) as NodeJS.ReadWriteStream
  const s2 = b.store.replicate(false) as NodeJS.ReadWriteStream
  a.wakeup.addStream(s1)
  b.wakeup.addStream(s2)
  s1.pipe(s2).pipe(s1)
}

async function untilTrue(record: PersonalRecord, check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => record.once('update', resolve))
}

test('the record: the first device writes its first core, a restored one adds itself', async (t) => {
  const phrase = newPhrase()
  const first = await device(t, true, phrase)
  t.ok(b4a.equals(first.record.key, first.keys.key), 'the record key is the derived one')
  t.ok(first.record.writable, 'the first device writes at once')
  const room = z32.encode(crypto.randomBytes(32))
  await first.record.append([
    { t: 'name', name: 'alice' },
    { t: 'room', room, encryptionKey: 'ab'.repeat(32), joinedAt: 1 }
  ])

  const restored = await device(t, false, phrase)
  t.absent(restored.record.writable, 'a restored device is no writer yet')
  replicate(first, restored)
  await untilTrue(restored.record, async () => (await restored.record.name()) === 'alice')
  t.alike(
    (await restored.record.rooms()).map((r) => r.room),
    [room],
    'it reads the rooms'
  )
  await restored.record.addSelf(restored.binding())
  t.ok(restored.record.writable, 'its own optimistic block made it a writer')
  await restored.record.append([
    { t: 'read', room, id: z32.encode(crypto.randomBytes(32)) + '.3', seq: 3 }
  ])
  await untilTrue(first.record, async () => (await first.record.reads()).has(room))
  t.is((await first.record.reads()).get(room)?.seq, 3, 'the first device sees its write')
  t.is((await first.record.writers()).length, 2, 'two writers')

  // unlinked: its writer is removed everywhere, and it cannot write the record any more
  await first.record.addSelf(first.binding())
  await first.record.append([{ t: 'revoke', device: b4a.toString(restored.dev.publicKey, 'hex') }])
  await untilTrue(restored.record, async () => !restored.record.writable)
  t.is((await first.record.writers()).length, 1, 'one writer left')
  t.is((await restored.record.writers()).length, 1, 'at the unlinked device too')
})

test('the record: a stranger and a forged binding cannot write', async (t) => {
  const phrase = newPhrase()
  const first = await device(t, true, phrase)
  await first.record.append([{ t: 'name', name: 'alice' }])
  const stranger = await device(t, false, newPhrase())
  // the stranger knows the record's keys (say, stolen), but not the identity
  const intruder = new PersonalRecord(stranger.store.namespace('x'), {
    key: first.keys.key,
    encryptionKey: first.keys.encryptionKey,
    identity: first.identity.publicKey,
    signer: null,
    wakeup: stranger.wakeup
  })
  await intruder.ready()
  t.teardown(() => intruder.close())
  replicate(first, stranger)
  await untilTrue(intruder, async () => (await intruder.name()) === 'alice')
  const dev = crypto.keyPair()
  const foreign = await deviceProof(stranger.identity, dev.publicKey)
  await intruder.addSelf(bindWriter(intruder.discoveryKey, intruder.writerKey, dev, foreign))
  t.absent(intruder.writable, 'a binding from another identity is skipped')
  await intruder.base.append(encodeRecordOp({ t: 'name', name: 'mallory' }), { optimistic: true })
  t.absent(intruder.writable, 'any other optimistic op is skipped')
  t.is(await intruder.name(), 'alice', 'and changes nothing')
})
