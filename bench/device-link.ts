// What linking a device costs: a laptop with one room of 1,000 messages makes a link code; a new
// phone on the same loopback testnet links with it. Figures, each the median of RUNS fresh phones:
// code made → init({ link }) resolved (the phone writable in the room, with the history up to
// its own writer), and → the laptop's newest message readable on the phone.
import fs from 'fs/promises'
import path from 'path'
import createTestnet from 'hyperdht/testnet.js'
import { createRoost, type Roost } from '../src/core/roost.js'
import { log, tempDir } from './lib.js'

const QUICK = process.argv.includes('--quick')
const MESSAGES = QUICK ? 100 : 1_000
const RUNS = QUICK ? 1 : 3
/** Sends in flight at once while filling the room (the fill is not measured). */
const FILL_BATCH = 100

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

async function newestVisible(phone: Roost, room: string, id: string): Promise<void> {
  const has = async (): Promise<boolean> =>
    (await phone.messages(room, { limit: 1 })).messages.some((m) => m.id === id)
  if (await has()) return
  await new Promise<void>((resolve) => {
    const stop = phone.onDidReceiveMessage(() => {
      void has().then((yes) => {
        if (!yes) return
        stop()
        resolve()
      })
    })
  })
}

async function main(): Promise<void> {
  const testnet = await createTestnet(3, { host: '127.0.0.1' })
  const bootstrap = testnet.bootstrap.map((b) => `${b.host}:${b.port}`)
  const root = await tempDir('link')
  const open = (name: string) =>
    createRoost({ dataDir: path.join(root, name), bootstrap, host: '127.0.0.1' })
  const laptop = await open('laptop')
  const phones: Roost[] = []
  try {
    await laptop.init({ name: 'ada' })
    const room = (await laptop.createRoom({ name: 'general' })).id
    let newest = ''
    for (let i = 0; i < MESSAGES; i += FILL_BATCH) {
      const batch = Array.from({ length: Math.min(FILL_BATCH, MESSAGES - i) }, (_, j) =>
        laptop.send(room, { text: `message ${i + j}` })
      )
      newest = (await Promise.all(batch)).at(-1)?.id ?? newest
    }
    log(`room of ${MESSAGES} messages ready`)
    const writable: number[] = []
    const readable: number[] = []
    for (let run = 0; run < RUNS; run++) {
      const phone = await open(`phone-${run}`)
      phones.push(phone)
      const start = performance.now()
      const link = await laptop.linkDevice()
      await phone.init({ link: link.code })
      writable.push(performance.now() - start)
      await newestVisible(phone, room, newest)
      readable.push(performance.now() - start)
      log(
        `run ${run}: writable ${writable[run].toFixed(0)} ms, newest ${readable[run].toFixed(0)} ms`
      )
    }
    const figures = {
      'link.writableMs': Math.round(median(writable)),
      'link.newestMs': Math.round(median(readable)),
      'link.messages': MESSAGES
    }
    console.log(`device link, room of ${MESSAGES} messages (median of ${RUNS})`)
    console.log(`  code made → new device writable   ${figures['link.writableMs']} ms`)
    console.log(`  code made → newest message shown  ${figures['link.newestMs']} ms`)
    console.log(JSON.stringify(figures))
  } finally {
    for (const phone of phones) await phone.close()
    await laptop.close()
    await testnet.destroy()
    await fs.rm(root, { recursive: true, force: true })
  }
}

await main()
