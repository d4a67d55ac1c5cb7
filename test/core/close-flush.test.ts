import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import { allMessages, createPeer, tempDir } from '../helpers/index.js'

/** Bytes in RocksDB's write-ahead logs: what the next open would have to replay. */
async function walBytes(dataDir: string): Promise<number> {
  const db = path.join(dataDir, 'store', 'db')
  let bytes = 0
  for (const file of await fs.readdir(db)) {
    if (file.endsWith('.log')) bytes += (await fs.stat(path.join(db, file))).size
  }
  return bytes
}

test('close leaves no write-ahead log to replay: the next open starts from table files, every message kept', async (t) => {
  const dataDir = await tempDir(t)
  const first = await createPeer(t, null, { dataDir, name: 'alice' })
  const room = (await first.createRoom({ name: 'general' })).id
  const text = 'x'.repeat(1000)
  await Promise.all(
    Array.from({ length: 200 }, (_, i) => first.send(room, { text: `${i} ${text}` }))
  )
  t.ok((await walBytes(dataDir)) > 200 * 1000, 'before close, the messages are in the WAL')
  await first.close()
  t.is(await walBytes(dataDir), 0, 'after close, the WAL is empty')

  const again = await createPeer(t, null, { dataDir })
  t.is((await allMessages(again, room)).length, 200, 'and all 200 messages are there')
})
