import fs from 'fs/promises'
import path from 'path'
import crypto from 'crypto'
import test from 'brittle'
import { openDescriptor, sealDescriptor } from '../../src/core/files/file-descriptor.js'
import type { FileDescriptor } from '../../src/core/files/file-descriptor.js'
import { encodeOp } from '../../src/core/rooms/ops.js'
import { sealText } from '../../src/core/epochs/epoch-crypto.js'
import {
  allMessages,
  appendRaw,
  createLoopbackTestnet,
  currentEpochKey,
  rejectsWithCode,
  roomWithMembers,
  tempDir,
  until
} from '../helpers/index.js'
import { untilFile } from '../helpers/files.js'

const OPTS = { timeout: 180_000 }

test('hostile file messages make no peer crash or diverge', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'mallory'])
  const [alice, bob, mallory] = peers
  const dir = await tempDir(t)
  const out = path.join(dir, 'out')
  const source = path.join(dir, 'real.bin')
  await fs.writeFile(source, crypto.randomBytes(200_000))
  const real = await alice.sendFile(room, { path: source })
  await untilFile(mallory, room, real.id)

  // what a modified client holding the epoch key can seal: the real file's descriptor, altered
  const { epoch, key } = await currentEpochKey(mallory, room)
  const stored = await mallory.roomEngine(room).messageById(real.id)
  const genuine = openDescriptor(stored?.file as Buffer, stored?.fileNonce as Buffer, key)
  if (genuine === null) throw new Error('the real descriptor does not open')
  const block = (file: FileDescriptor | 'garbage', caption: string): Buffer => {
    const sealed =
      file === 'garbage'
        ? (({ nonce, ciphertext }) => ({ nonce, sealed: ciphertext }))(
            sealText('x'.repeat(300), key)
          )
        : sealDescriptor(file, key)
    const text = sealText(caption, key)
    return encodeOp('@roost/message', {
      text: '',
      timestamp: Date.now(),
      epoch,
      nonce: text.nonce,
      ciphertext: text.ciphertext,
      fileNonce: sealed.nonce,
      file: sealed.sealed
    })
  }
  await appendRaw(mallory, room, [
    // the real bytes under a hash they do not have
    block({ ...genuine, hash: crypto.randomBytes(32) }, 'wrong hash'),
    // blocks far past the end of the core, an absurd size that is still consistent
    block(
      {
        ...genuine,
        size: 2 ** 40,
        blob: { blockOffset: 2 ** 30, blockLength: 2 ** 24, byteOffset: 0, byteLength: 2 ** 40 }
      },
      'absurd'
    ),
    // a blob id that disagrees with the size, and garbage where a descriptor goes
    block({ ...genuine, size: 5 }, 'inconsistent'),
    block('garbage', 'garbage')
  ])
  await until([alice, bob], async () => {
    const [a, b] = [await allMessages(alice, room), await allMessages(bob, room)]
    return a.length === 5 && b.length === 5
  })
  const shown = (await allMessages(bob, room)).map((m) => [m.text, m.file?.unreadable])
  t.alike(
    shown,
    [
      ['', false],
      ['wrong hash', false],
      ['absurd', false],
      ['inconsistent', true],
      ['garbage', true]
    ],
    'every file message renders; the malformed ones as unreadable'
  )
  const byText = new Map((await allMessages(bob, room)).map((m) => [m.text, m.id]))
  await rejectsWithCode(
    t,
    bob.download(room, byText.get('wrong hash') as string, { out }),
    'FILE_HASH_MISMATCH'
  )
  t.is((await bob.fileTransfer(room, byText.get('wrong hash') as string)).state, 'failed')
  await rejectsWithCode(
    t,
    bob.download(room, byText.get('garbage') as string, { out }),
    'NOT_A_FILE'
  )
  await rejectsWithCode(
    t,
    bob.download(room, byText.get('inconsistent') as string, { out }),
    'NOT_A_FILE'
  )
  const absurd = bob.download(room, byText.get('absurd') as string, { out })
  await until([bob], async () => {
    const s = (await bob.fileTransfer(room, byText.get('absurd') as string)).state
    return s === 'waiting' || s === 'downloading'
  })
  await bob.cancelDownload(room, byText.get('absurd') as string)
  await rejectsWithCode(t, absurd, 'DOWNLOAD_CANCELLED')
  const saved = (await fs.readdir(out).catch(() => [])) as string[]
  t.alike(saved, [], 'nothing saved from a hostile file')

  // the real file still downloads, and every peer has the same room
  const good = await bob.download(room, real.id, { out })
  t.ok((await fs.readFile(good.path as string)).equals(await fs.readFile(source)), 'the real one')
  const ids = async (p: typeof alice): Promise<string[]> =>
    (await allMessages(p, room)).map((m) => m.id)
  t.alike(await ids(alice), await ids(bob), 'alice and bob agree')
  t.alike(await ids(mallory), await ids(bob), 'mallory too')
})
