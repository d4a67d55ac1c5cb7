import fs from 'fs/promises'
import path from 'path'
import { execFileSync } from 'child_process'
import crypto from 'crypto'
import test from 'brittle'
import Corestore from 'corestore'
import Hyperblobs from 'hyperblobs'
import { PNG } from 'pngjs'
import sodium from 'sodium-native'
import type { Message } from '../../src/shared/api/contract.js'
import {
  createLoopbackTestnet,
  createPeer,
  rejectsWithCode,
  roomWithMembers,
  tempDir,
  until
} from '../helpers/index.js'
import { storeFile } from '../../src/core/files/file-sender.js'
import { savedFile } from '../../src/core/files/saved-file.js'
import { untilFile } from '../helpers/files.js'
import { smallDisk } from '../helpers/small-disk.js'

const OPTS = { timeout: 180_000 }
const KiB = 1024
const MiB = 1024 * KiB

/** BLAKE2b-256, hex, as file messages carry it. */
function blake2b(data: Buffer): string {
  const out = Buffer.alloc(32)
  sodium.crypto_generichash(out, data)
  return out.toString('hex')
}

test('files of 0 B, 1 B, 64 KiB, 64 KiB + 1 and 20 MiB arrive byte for byte', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers
  const dir = await tempDir(t)
  const out = path.join(dir, 'downloads')
  const sizes = [0, 1, 64 * KiB, 64 * KiB + 1, 20 * MiB]
  for (const size of sizes) {
    const name = `ünïcödé 📎 ${size}.bin`
    const source = path.join(dir, name)
    const content = crypto.randomBytes(size)
    await fs.writeFile(source, content)
    const sent: Message = await alice.sendFile(room, { path: source, text: `size ${size}` })
    t.is(sent.file?.name, name, `${size}: the name as sent`)
    t.is(sent.file?.size, size, `${size}: the size`)
    t.is(sent.file?.hash, blake2b(content), `${size}: the BLAKE2b of the content`)
    t.is(sent.text, `size ${size}`, `${size}: the caption`)
    await untilFile(bob, room, sent.id)
    const done = await bob.download(room, sent.id, { out })
    t.is(done.state, 'done')
    t.is(done.path, path.join(out, name), `${size}: saved under its own name`)
    t.ok((await fs.readFile(done.path as string)).equals(content), `${size}: byte-identical`)
    t.is(done.fetched, size, `${size}: every byte fetched once`)
  }
  const left = await fs.readdir(out)
  t.alike(
    left.filter((f) => f.endsWith('.roost-part')),
    [],
    'no partial file left'
  )
  const bobFiles = await bob.files(room)
  t.alike(
    bobFiles.map((f) => [f.file.size, f.state, f.mine]),
    [...sizes].reverse().map((size) => [size, 'done', false]),
    "bob's list: newest first, all done"
  )
  const aliceFiles = await alice.files(room)
  t.ok(
    aliceFiles.every((f) => f.mine && f.state === 'done'),
    "alice's own files are done on her device"
  )
  // asking again for a saved file is that file, not a second copy
  const again = await bob.download(room, bobFiles[0].message, { out })
  t.is(again.path, bobFiles[0].path)
  t.is((await fs.readdir(out)).length, sizes.length, 'no second copy')
})

test('a name that is taken gets a number, and a hostile name is made safe', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers
  const dir = await tempDir(t)
  const out = path.join(dir, 'downloads')
  await fs.mkdir(out)
  await fs.writeFile(path.join(out, 'report.pdf'), 'already here')
  const source = path.join(dir, 'source')
  await fs.writeFile(source, 'the new report')
  const sent = await alice.sendFile(room, { path: source, name: 'report.pdf' })
  const hostile = await alice.sendFile(room, { path: source, name: '../../\u202eevil\n.exe' })
  t.is(hostile.file?.name, '.._.._evil.exe'.replace(/^[.]+/, ''), 'no path, no controls')
  await untilFile(bob, room, hostile.id)
  const first = await bob.download(room, sent.id, { out })
  t.is(first.path, path.join(out, 'report (2).pdf'), 'a free name beside the taken one')
  t.is(await fs.readFile(path.join(out, 'report.pdf'), 'utf8'), 'already here', 'kept as it was')
  const second = await bob.download(room, hostile.id, { out })
  t.is(path.dirname(second.path as string), out, 'saved inside the folder asked for')
})

test('bad paths on send get coded errors and write nothing', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice] = peers
  const dir = await tempDir(t)
  const fifo = path.join(dir, 'fifo')
  execFileSync('mkfifo', [fifo])
  const before = alice.roomEngine(room).base.local.length
  await rejectsWithCode(t, alice.sendFile(room, { path: path.join(dir, 'nope') }), 'FILE_NOT_FOUND')
  await rejectsWithCode(t, alice.sendFile(room, { path: dir }), 'FILE_IS_DIRECTORY')
  await rejectsWithCode(t, alice.sendFile(room, { path: fifo }), 'FILE_UNREADABLE')
  await rejectsWithCode(
    t,
    alice.sendFile(room, { path: path.join(dir, 'nope', 'deeper') }),
    'FILE_NOT_FOUND'
  )
  await rejectsWithCode(
    t,
    alice.sendFile(room, { staged: 'not-a-token', name: 'x' }),
    'UPLOAD_NOT_FOUND'
  )
  await rejectsWithCode(
    t,
    alice.sendFile(room, { path: fifo, thumbnail: 'javascript:alert(1)' }),
    'INVALID_ARGUMENT'
  )
  t.is(alice.roomEngine(room).base.local.length, before, 'nothing appended to the room')
  t.alike(await alice.files(room), [], 'no file in the room')
  const text = (await alice.messages(room)).messages
  t.is(text.length, 0, 'no message either')
})

test('a file staged in chunks (the browser) is sent and the staging removed', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers
  const content = crypto.randomBytes(1_300_000)
  let staged: string | undefined
  for (let at = 0; at < content.length; at += 512 * KiB) {
    const chunk = content.subarray(at, at + 512 * KiB).toString('base64')
    const res = await alice.stageUpload({ staged, data: chunk })
    staged = res.staged
    t.is(res.bytes, Math.min(content.length, at + 512 * KiB))
  }
  const progress: number[] = []
  alice.onDidProgressSend((e) => {
    if (e.upload === 'u1') progress.push(e.bytes)
  })
  const sent = await alice.sendFile(room, {
    staged,
    name: 'screenshot.png',
    upload: 'u1',
    width: 640,
    height: 480
  })
  t.is(sent.file?.type, 'image/png', 'type from the name')
  t.is(sent.file?.width, 640)
  t.is(progress.at(-1), content.length, 'progress ends at the size')
  await rejectsWithCode(t, alice.sendFile(room, { staged, name: 'again' }), 'UPLOAD_NOT_FOUND')
  await untilFile(bob, room, sent.id)
  const done = await bob.download(room, sent.id, { out: await tempDir(t) })
  t.ok((await fs.readFile(done.path as string)).equals(content), 'byte-identical')

  // a page that closed mid-upload: its part is gone at the next start
  const left = await bob.stageUpload({ data: content.subarray(0, 1000).toString('base64') })
  const bobDir = bob.dataDir
  await bob.close()
  const again = await createPeer(t, testnet, { dataDir: bobDir })
  await rejectsWithCode(
    t,
    again.sendFile(room, { staged: left.staged, name: 'x' }),
    'UPLOAD_NOT_FOUND'
  )
  await rejectsWithCode(
    t,
    again.stageUpload({ staged: left.staged, data: 'AAAA' }),
    'UPLOAD_NOT_FOUND',
    'a later chunk does not start a shorter file'
  )
  t.alike(await fs.readdir(bobDir).then((f) => f.includes('uploads')), false, 'no uploads left')
})

test('cancel stops a download that nobody can serve; the file shows waiting', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers
  const dir = await tempDir(t)
  const source = path.join(dir, 'big.bin')
  await fs.writeFile(source, crypto.randomBytes(2 * MiB))
  const sent = await alice.sendFile(room, { path: source })
  await untilFile(bob, room, sent.id)
  await alice.close()
  const states: string[] = []
  bob.onDidChangeFileTransfer((e) => states.push(e.transfer.state))
  const download = bob.download(room, sent.id, { out: path.join(dir, 'out') })
  await until([bob], () => states.includes('waiting'))
  t.is((await bob.fileTransfer(room, sent.id)).state, 'waiting', 'waiting for someone to hold it')
  const cancelled = await bob.cancelDownload(room, sent.id)
  await rejectsWithCode(t, download, 'DOWNLOAD_CANCELLED')
  t.is(cancelled.state, 'cancelled')
  t.alike(await fs.readdir(path.join(dir, 'out')), [], 'nothing left in the folder')
})

test('several downloads at once; asking twice for one is one download', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers
  const dir = await tempDir(t)
  const out = path.join(dir, 'out')
  const contents = [crypto.randomBytes(3 * MiB), crypto.randomBytes(2 * MiB + 7)]
  const sent: Message[] = []
  for (const [i, content] of contents.entries()) {
    await fs.writeFile(path.join(dir, `f${i}`), content)
    // one name for both: side by side in one folder, each its own partial file
    sent.push(await alice.sendFile(room, { path: path.join(dir, `f${i}`), name: 'same.bin' }))
  }
  for (const m of sent) await untilFile(bob, room, m.id)
  const [a, b, aAgain] = await Promise.all([
    bob.download(room, sent[0].id, { out }),
    bob.download(room, sent[1].id, { out }),
    bob.download(room, sent[0].id, { out })
  ])
  t.is(aAgain.path, a.path, 'the second ask is the same download')
  t.ok((await fs.readFile(a.path as string)).equals(contents[0]), 'first file')
  t.ok((await fs.readFile(b.path as string)).equals(contents[1]), 'second file')
  t.alike(
    [a.path, b.path].map((p) => path.basename(p as string)).sort(),
    ['same (2).bin', 'same.bin'],
    'a free name each'
  )
  t.alike((await fs.readdir(out)).sort(), ['same (2).bin', 'same.bin'], 'nothing else left')
})

test('a download onto a full disk is DISK_FULL and leaves nothing behind', OPTS, async (t) => {
  const disk = await smallDisk(t, '1m')
  if (disk === null) {
    t.comment('needs root to mount a small tmpfs: skipped')
    return
  }
  const testnet = await createLoopbackTestnet(t)
  const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
  const [alice, bob] = peers
  const dir = await tempDir(t)
  const content = crypto.randomBytes(3 * MiB)
  await fs.writeFile(path.join(dir, 'big.bin'), content)
  const sent = await alice.sendFile(room, { path: path.join(dir, 'big.bin') })
  await untilFile(bob, room, sent.id)
  await rejectsWithCode(t, bob.download(room, sent.id, { out: disk }), 'DISK_FULL')
  t.alike(await fs.readdir(disk), [], 'no partial and no final file on the full disk')
  t.is((await bob.fileTransfer(room, sent.id)).state, 'failed')
  const saved = await bob.download(room, sent.id, { out: path.join(dir, 'roomy') })
  t.ok((await fs.readFile(saved.path as string)).equals(content), 'elsewhere it saves whole')
  t.is(saved.fetched, 0, 'from what arrived before: nothing fetched again')
})

test(
  'an image shown inline is kept with the data, and saved where asked later',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
    const [alice, bob] = peers
    const dir = await tempDir(t)
    const content = crypto.randomBytes(500_000)
    await fs.writeFile(path.join(dir, 'photo.png'), content)
    const sent = await alice.sendFile(room, { path: path.join(dir, 'photo.png') })
    await untilFile(bob, room, sent.id)
    t.is(await savedFile(bob, room, sent.id), null, 'nothing saved before the download')
    t.is(await savedFile(alice, room, sent.id), null, 'the sender has not saved her own copy')
    const preview = await bob.download(room, sent.id, { preview: true })
    t.is(path.dirname(preview.path as string), path.join(bob.dataDir, 'media'), 'in the data dir')
    t.is(preview.preview, true, 'said to be the inline copy')
    t.alike(
      await savedFile(bob, room, sent.id),
      { path: preview.path, size: content.length, file: preview.file, preview: true },
      'what the app may show inline'
    )
    const again = await bob.download(room, sent.id, { preview: true })
    t.is(again.path, preview.path, 'one preview copy')
    const out = path.join(dir, 'out')
    const saved = await bob.download(room, sent.id, { out })
    t.is(saved.path, path.join(out, 'photo.png'), 'saved where asked')
    t.is(saved.fetched, 0, 'from the blocks already here')
    t.ok((await fs.readFile(saved.path as string)).equals(content), 'byte-identical')
    t.is(saved.preview, false, 'a saved copy is no inline copy')
    t.is((await savedFile(bob, room, sent.id))?.path, saved.path, 'the app opens the saved copy')
    t.is(await savedFile(bob, room, 'no-such-message'), null)
    t.is(await savedFile(bob, 'no-such-room', sent.id), null)
    await fs.rm(saved.path as string)
    t.is(await savedFile(bob, room, sent.id), null, 'a file deleted since is not served')
  }
)

test(
  'a room set to download automatically fetches others’ files as they arrive',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
    const [alice, bob] = peers
    const dir = await tempDir(t)
    const downloads = path.join(dir, 'Downloads')
    const before = process.env.XDG_DOWNLOAD_DIR
    process.env.XDG_DOWNLOAD_DIR = downloads
    t.teardown(() => {
      if (before === undefined) delete process.env.XDG_DOWNLOAD_DIR
      else process.env.XDG_DOWNLOAD_DIR = before
    })
    t.is((await bob.room(room)).autoDownload, false, 'off unless asked')
    t.is((await bob.setRoomAutoDownload(room, true)).autoDownload, true)
    await alice.setRoomAutoDownload(room, true)
    await rejectsWithCode(
      t,
      bob.setRoomAutoDownload(room, 'yes' as unknown as boolean),
      'INVALID_ARGUMENT'
    )
    const content = crypto.randomBytes(700_000)
    await fs.writeFile(path.join(dir, 'minutes.pdf'), content)
    const sent = await alice.sendFile(room, { path: path.join(dir, 'minutes.pdf') })
    await until([bob], async () => {
      const transfer = await bob.fileTransfer(room, sent.id).catch(() => null)
      return transfer?.state === 'done'
    })
    const saved = await fs.readFile(path.join(downloads, 'minutes.pdf'))
    t.ok(saved.equals(content), 'in the downloads folder, byte-identical, without asking')
    // alice has it on too (same process, same folder): her own file would be a second copy
    t.alike(await fs.readdir(downloads), ['minutes.pdf'], 'nobody fetches their own file')
  }
)

test(
  'a send cancelled halfway is SEND_CANCELLED: no message, nothing staged left',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
    const [alice, bob] = peers
    const content = crypto.randomBytes(3 * MiB)
    let staged: string | undefined
    for (let at = 0; at < content.length; at += 512 * KiB) {
      const chunk = content.subarray(at, at + 512 * KiB).toString('base64')
      staged = (await alice.stageUpload({ staged, data: chunk })).staged
    }
    const asked: Array<Promise<boolean>> = []
    alice.onDidProgressSend((e) => {
      if (e.upload === 'c1' && asked.length === 0) asked.push(alice.cancelSend(room, 'c1'))
    })
    const send = alice.sendFile(room, { staged, name: 'movie.mp4', upload: 'c1' })
    await rejectsWithCode(t, send, 'SEND_CANCELLED')
    t.is(await asked[0], true, 'the cancel found the send under way')
    t.is(await alice.cancelSend(room, 'c1'), false, 'nothing left to cancel')
    await rejectsWithCode(t, alice.sendFile(room, { staged, name: 'x' }), 'UPLOAD_NOT_FOUND')

    // cancelled while the page was still staging: the core drops what it had
    const part = await alice.stageUpload({ data: content.subarray(0, 1000).toString('base64') })
    t.is(await alice.cancelSend(room, 'c2', part.staged), false, 'no send had begun')
    await rejectsWithCode(
      t,
      alice.stageUpload({ staged: part.staged, data: 'AAAA' }),
      'UPLOAD_NOT_FOUND'
    )

    const after = await alice.send(room, { text: 'after' })
    await until([bob], async () =>
      (await bob.messages(room)).messages.some((m) => m.id === after.id)
    )
    const seen = (await bob.messages(room)).messages
    t.absent(
      seen.some((m) => m.file != null),
      'no file message reached anyone'
    )
    t.alike(await bob.files(room), [], 'and no file is listed')
  }
)

test('storeFile stopped by its signal clears the blocks it stored', OPTS, async (t) => {
  const dir = await tempDir(t)
  const store = new Corestore(path.join(dir, 'store'))
  t.teardown(() => store.close())
  const blobs = new Hyperblobs(store.get({ name: 'blobs' }))
  await blobs.ready()
  const source = path.join(dir, 'big.bin')
  await fs.writeFile(source, crypto.randomBytes(40 * 64 * KiB))
  const cancel = new AbortController()
  await rejectsWithCode(
    t,
    storeFile(blobs, source, (bytes) => bytes >= 4 * 64 * KiB && cancel.abort(), cancel.signal),
    'SEND_CANCELLED'
  )
  const written = blobs.core.length
  t.ok(written >= 4, `${written} blocks were appended before the cancel`)
  t.absent(await blobs.core.has(0), 'the first is cleared')
  t.absent(await blobs.core.has(written - 1), 'and the last')
  const small = path.join(dir, 'small.bin')
  const bytes = crypto.randomBytes(100 * KiB)
  await fs.writeFile(small, bytes)
  const next = await storeFile(blobs, small, () => {})
  t.is(next.blob.blockOffset, written, 'the next file goes after them')
  t.ok(await blobs.core.has(written), 'and is kept')
})

test(
  'an image sent from a path gets its size and a thumbnail, made by the core',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob'])
    const [alice, bob] = peers
    const dir = await tempDir(t)
    const png = new PNG({ width: 800, height: 500 })
    for (let i = 0; i < png.data.length; i += 4) png.data.set([i % 251, 80, 160, 255], i)
    await fs.writeFile(path.join(dir, 'screenshot.png'), PNG.sync.write(png))
    const sent = await alice.sendFile(room, { path: path.join(dir, 'screenshot.png') })
    t.is(sent.file?.width, 800, 'its width')
    t.is(sent.file?.height, 500, 'its height')
    t.ok(/^data:image\/jpeg;base64,/.test(sent.file?.thumbnail ?? ''), 'a JPEG thumbnail')
    const seen = await untilFile(bob, room, sent.id)
    t.is(seen.file?.thumbnail, sent.file?.thumbnail, 'the other member sees it at once')

    await fs.writeFile(path.join(dir, 'broken.png'), crypto.randomBytes(5000))
    const broken = await alice.sendFile(room, { path: path.join(dir, 'broken.png') })
    t.is(broken.file?.size, 5000, 'a broken image goes out all the same')
    t.is(broken.file?.thumbnail ?? null, null, 'without a preview')
    t.is(broken.file?.width ?? null, null)

    const told = await alice.sendFile(room, {
      path: path.join(dir, 'screenshot.png'),
      width: 1600,
      height: 1000
    })
    t.is(told.file?.width, 1600, 'what the sender said is kept')
    t.is(told.file?.thumbnail ?? null, null, 'and nothing is made up beside it')
  }
)
