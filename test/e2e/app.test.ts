import fs from 'fs/promises'
import path from 'path'
import { fileURLToPath } from 'url'
import test from 'brittle'
import type { Test } from 'brittle'
import { chromium, type Browser, type Page } from 'playwright-core'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'
import { onboard } from '../helpers/browser-app.js'
import { serveWeb } from '../helpers/web.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The header's "why nobody is reachable" shows after 1 s instead of 10 s. */
function serveApp(t: Test, dataDir: string, bootstrap: string[]) {
  return serveWeb(t, dataDir, bootstrap, { ROOST_TROUBLE_AFTER_MS: '1000' })
}

async function launch(t: Test): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu']
  })
  t.teardown(() => browser.close(), { order: -10 })
  return browser
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, name + '.png') })
}

async function createRoom(page: Page, name: string): Promise<void> {
  await page.getByTestId('create-room-open').click()
  await page.getByTestId('create-room-name').fill(name)
  await page.getByTestId('create-room-submit').click()
  await page.getByTestId('room-header').filter({ hasText: name }).waitFor()
}

async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text)
  await page.getByTestId('composer').press('Enter')
}

function message(page: Page, text: string) {
  return page.getByTestId('message').filter({ hasText: text })
}

function roomItem(page: Page, name: string) {
  return page.getByTestId('room-item').filter({ hasText: name })
}

test(
  'the app in a real browser: two people, invite, chat, unread, offline catch-up, errors',
  { timeout: 240_000 },
  async (t) => {
    await fs.access(CHROMIUM).catch(() => {
      throw new Error(`Chromium is not at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`)
    })
    await fs.mkdir(ARTIFACTS, { recursive: true })
    const testnet = await createLoopbackTestnet(t)
    const bootstrap = bootstrapOf(testnet)
    const dirs = await tempDir(t)
    const aliceDir = path.join(dirs, 'alice')
    const bobDir = path.join(dirs, 'bob')
    const alice = await serveApp(t, aliceDir, bootstrap)
    let bob = await serveApp(t, bobDir, bootstrap)
    const browser = await launch(t)
    const pageA = await (
      await browser.newContext({ viewport: { width: 1200, height: 800 } })
    ).newPage()
    const pageB = await (
      await browser.newContext({ viewport: { width: 1200, height: 800 } })
    ).newPage()
    const pageErrors: string[] = []
    for (const page of [pageA, pageB]) page.on('pageerror', (err) => pageErrors.push(err.message))

    await pageA.goto(alice.url)
    await pageA.getByTestId('onboarding-name').waitFor()
    await shot(pageA, '01-onboarding')
    await onboard(pageA, 'Alice')
    await createRoom(pageA, 'general')
    await shot(pageA, '02-room-created')
    t.pass('alice onboarded and created a room')

    await pageA.getByTestId('invite-open').click()
    await pageA.getByTestId('invite-create').click()
    const code = (await pageA.getByTestId('invite-code').textContent())?.trim() ?? ''
    t.ok(/^[a-z0-9]{100,}$/.test(code), 'the invite dialog shows a code')
    await shot(pageA, '03-invite')
    await pageA.getByTestId('dialog-close').click()

    await pageB.goto(bob.url)
    await onboard(pageB, 'Bob')
    await pageB.getByTestId('join-open').click()
    await pageB.getByTestId('join-code').fill(code)
    await pageB.getByTestId('join-submit').click()
    await roomItem(pageB, 'general').waitFor()
    await pageB.getByTestId('room-header').filter({ hasText: 'general' }).waitFor()
    await shot(pageB, '04-joined')
    t.pass('bob joined by pasting the code')

    await send(pageB, 'hello from bob')
    await message(pageA, 'hello from bob').waitFor()
    await send(pageA, 'hi bob, welcome')
    await message(pageB, 'hi bob, welcome').waitFor()
    await message(pageB, 'hi bob, welcome').and(pageB.locator('[data-state=sent]')).waitFor()
    await shot(pageA, '05-chat-alice')
    await shot(pageB, '06-chat-bob')
    t.pass('messages both ways')

    await createRoom(pageA, 'random')
    await send(pageB, 'are you there?')
    const unread = roomItem(pageA, 'general').getByTestId('unread-count')
    await unread.filter({ hasText: /^1$/ }).waitFor()
    t.is((await unread.textContent())?.trim(), '1', 'the room not on screen shows 1 unread')
    await shot(pageA, '07-unread')
    await roomItem(pageA, 'general').click()
    await message(pageA, 'are you there?').waitFor()
    await unread.waitFor({ state: 'detached' })
    t.pass('opening the room clears its unread count')

    const header = pageA.getByTestId('connection-state')
    t.is(await header.getAttribute('data-direct'), '1', 'the header shows bob, directly connected')
    t.is(await bob.proc.stop('SIGTERM'), 0, 'bob’s core shuts down cleanly')
    await send(pageA, 'while you were away')
    await message(pageA, 'while you were away').waitFor()
    await pageA.locator('[data-testid="connection-state"][data-trouble="PEERS_OFFLINE"]').waitFor()
    t.ok(
      ((await header.textContent()) ?? '').includes('No other member is online'),
      'with bob gone the header says nobody else is online'
    )
    await shot(pageA, '08-alone')
    bob = await serveApp(t, bobDir, bootstrap)
    await pageB.goto(bob.url)
    await roomItem(pageB, 'general').click()
    await message(pageB, 'while you were away').waitFor()
    await shot(pageB, '09-caught-up')
    t.pass('bob caught up after his core restarted')

    await pageB.getByTestId('join-open').click()
    await pageB.getByTestId('join-code').fill('this is not an invite')
    await pageB.getByTestId('join-submit').click()
    const error = pageB.getByTestId('join-error')
    await error.waitFor()
    t.is(
      await error.getAttribute('data-code'),
      'INVITE_INVALID',
      'a garbage invite shows its error'
    )
    t.ok(((await error.textContent()) ?? '').length > 10, 'as a readable message')
    await shot(pageB, '10-garbage-invite')

    t.alike(pageErrors, [], 'no uncaught errors in either page')
    t.is(await alice.proc.stop('SIGTERM'), 0)
  }
)
