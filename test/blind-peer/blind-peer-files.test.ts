import fs from 'fs/promises'
import path from 'path'
import crypto from 'crypto'
import test from 'brittle'
import { bootstrapOf, createLoopbackTestnet, createPeer, tempDir, until } from '../helpers/index.js'
import { startBlindPeer } from '../helpers/processes.js'
import { untilFile } from '../helpers/files.js'

const OPTS = { timeout: 180_000 }

async function filesContaining(dir: string, needle: Buffer): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true })
  const found: string[] = []
  for (const e of entries) {
    if (!e.isFile()) continue
    const file = path.join(e.parentPath ?? e.path, e.name)
    if ((await fs.readFile(file)).includes(needle)) found.push(file)
  }
  return found
}

test('a file from the blind peer alone, the sender offline, no plaintext kept', OPTS, async (t) => {
  const testnet = await createLoopbackTestnet(t)
  const storage = await tempDir(t)
  const daemon = await startBlindPeer(t, storage, bootstrapOf(testnet))
  const alice = await createPeer(t, testnet, { name: 'alice' })
  const bobDir = await tempDir(t)
  const bob = await createPeer(t, testnet, { name: 'bob', dataDir: bobDir })
  const room = (await alice.createRoom({ name: 'general' })).id
  await alice.addMirror(room, daemon.key)
  await alice.flush()
  await bob.join((await alice.createInvite(room)).code as string)
  await until([bob], async () => (await bob.room(room)).writable)
  await bob.close()

  // a marker repeated across many blocks: any cleartext block would carry it
  const marker = Buffer.from('FILEMARKER-' + crypto.randomBytes(8).toString('hex') + '\n')
  const content = Buffer.concat(Array.from({ length: 30_000 }, () => marker))
  const dir = await tempDir(t)
  const source = path.join(dir, 'notes.txt')
  await fs.writeFile(source, content)
  const sent = await alice.sendFile(room, { path: source })
  t.is(sent.file?.direct, false, 'under the cap: the blind peer keeps it')
  // over the room's cap: members only
  t.is((await alice.setRoomInfo(room, { mirrorFileCap: 100_000 })).mirrorFileCap, 100_000)
  const bigSource = path.join(dir, 'big.bin')
  await fs.writeFile(bigSource, crypto.randomBytes(200_000))
  const big = await alice.sendFile(room, { path: bigSource })
  t.is(big.file?.direct, true, 'over the cap: members only')
  await until([alice], async () => {
    const [mirror] = await alice.mirrors(room)
    return mirror !== undefined && mirror.synced
  })
  t.pass('the blind peer holds the message and the file')
  await alice.close()

  const back = await createPeer(t, testnet, { dataDir: bobDir })
  await untilFile(back, room, sent.id)
  const done = await back.download(room, sent.id, { out: path.join(dir, 'out') })
  t.ok((await fs.readFile(done.path as string)).equals(content), 'byte-identical')
  const peers = (await back.status()).rooms[0].peers
  t.ok(peers.length === 1 && peers[0].blindPeer, 'the only peer is the blind peer')
  t.is((await back.room(room)).mirrorFileCap, 100_000, 'the cap is the room’s')
  const members = back.download(room, big.id, { out: path.join(dir, 'out') })
  await until([back], async () => (await back.fileTransfer(room, big.id)).state === 'waiting')
  t.pass('the file over the cap waits for a member: the blind peer has none of it')
  await back.cancelDownload(room, big.id)
  await members.catch(() => {})

  t.is(await daemon.process.stop('SIGTERM'), 0, 'daemon stops cleanly')
  t.alike(await filesContaining(storage, marker), [], 'no plaintext of the file in its storage')
  t.ok((await filesContaining(dir, marker)).length > 0, 'the scan finds the marker in clear files')
})
