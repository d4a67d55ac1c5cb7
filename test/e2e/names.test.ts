import fs from 'fs/promises'
import path from 'path'
import { fileURLToPath } from 'url'
import test from 'brittle'
import { chromium } from 'playwright-core'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'
import { onboard } from '../helpers/browser-app.js'
import { serveWeb } from '../helpers/web.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const ARTIFACTS = path.join(ROOT, 'test', 'artifacts')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

test(
  'two members named Sam are told apart by their key, and removal says what it does',
  { timeout: 240_000 },
  async (t) => {
    await fs.access(CHROMIUM).catch(() => {
      throw new Error(`Chromium is not at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`)
    })
    await fs.mkdir(ARTIFACTS, { recursive: true })
    const testnet = await createLoopbackTestnet(t)
    const bootstrap = bootstrapOf(testnet)
    const dirs = await tempDir(t)
    const aliceUrl = (await serveWeb(t, path.join(dirs, 'alice'), bootstrap)).url
    const bobUrl = (await serveWeb(t, path.join(dirs, 'bob'), bootstrap)).url
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu']
    })
    t.teardown(() => browser.close(), { order: -10 })
    const viewport = { width: 1200, height: 800 }
    const pageA = await (await browser.newContext({ viewport })).newPage()
    const pageB = await (await browser.newContext({ viewport })).newPage()
    const pageErrors: string[] = []
    for (const page of [pageA, pageB]) page.on('pageerror', (err) => pageErrors.push(err.message))

    // both call themselves Sam; the second hides a zero-width space and a bidi override in it
    await pageA.goto(aliceUrl)
    await onboard(pageA, 'Sam')
    await pageA.getByTestId('create-room-open').click()
    await pageA.getByTestId('create-room-name').fill('names')
    await pageA.getByTestId('create-room-submit').click()
    await pageA.getByTestId('room-header').filter({ hasText: 'names' }).waitFor()
    await pageA.getByTestId('invite-open').click()
    await pageA.getByTestId('invite-create').click()
    const code = (await pageA.getByTestId('invite-code').textContent())?.trim() ?? ''
    await pageA.getByTestId('dialog-close').click()

    await pageB.goto(bobUrl)
    await onboard(pageB, 'Sa\u200bm\u202e')
    await pageB.getByTestId('join-open').click()
    await pageB.getByTestId('join-code').fill(code)
    await pageB.getByTestId('join-submit').click()
    await pageB.getByTestId('room-header').filter({ hasText: 'names' }).waitFor()
    await pageB.getByTestId('composer').fill('hello from the other Sam')
    await pageB.getByTestId('composer').press('Enter')

    await pageA.getByTestId('members-open').click()
    const items = pageA.getByTestId('member-item')
    await items.nth(1).waitFor()
    const ids = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-member-id')))
    t.is(ids.length, 2, 'alice sees two members')
    const [aliceId, bobId] = await Promise.all([
      pageA.locator('[data-member-id]').filter({ hasText: '(you)' }).getAttribute('data-member-id'),
      pageA
        .locator('[data-member-id]')
        .filter({ hasNotText: '(you)' })
        .getAttribute('data-member-id')
    ])
    if (aliceId === null || bobId === null) throw new Error('member ids missing')
    const bobItem = pageA.locator(`[data-member-id="${bobId}"]`)
    const aliceItem = pageA.locator(`[data-member-id="${aliceId}"]`)
    const bobLabel = `Sam (${bobId.slice(0, 4)})`
    t.is(await bobItem.getByTestId('member-name').innerText(), bobLabel, 'bob shows as Sam (key)')
    t.is(
      await aliceItem.getByTestId('member-name').innerText(),
      `Sam (${aliceId.slice(0, 4)}) (you)`,
      'and so does alice'
    )
    t.is(await bobItem.getByTestId('member-key').textContent(), bobId, 'the whole key is there')
    t.is(await bobItem.getByTestId('member-key').getAttribute('title'), bobId, 'and in its title')
    t.ok(await bobItem.getByTestId('member-key-copy').isVisible(), 'with a copy button')
    const note = (await pageA.getByTestId('removal-note').textContent()) ?? ''
    t.ok(note.includes('They can no longer read new messages or write.'), 'the panel says it')

    const author = pageA
      .getByTestId('message')
      .filter({ hasText: 'hello from the other Sam' })
      .getByTestId('message-author')
    await author.waitFor()
    t.is(await author.innerText(), bobLabel, 'his message shows the same label')
    await pageA.screenshot({ path: path.join(ARTIFACTS, 'names-01-two-sams.png') })

    // any text renders, and nothing it holds pushes the page wider than the window
    const hostile = `\u202eevil ${'w'.repeat(30_000)} Z${'\u0301'.repeat(300)} 👍🏽\u2066 hostile end`
    await pageA.getByTestId('composer').fill('hi, other Sam')
    await pageA.getByTestId('composer').press('Enter')
    await pageB.getByTestId('message').filter({ hasText: 'hi, other Sam' }).waitFor()
    await pageB.getByTestId('composer').fill(hostile)
    await pageB.getByTestId('composer').press('Enter')
    const hostileRow = pageA.getByTestId('message').filter({ hasText: 'evil www' })
    await hostileRow.waitFor()
    // all of it, not only what a collapsed long message shows
    await hostileRow.getByTestId('message-show-more').click()
    await hostileRow.filter({ hasText: 'hostile end' }).waitFor()
    const overflow = await pageA.evaluate(() => {
      const page = document.scrollingElement
      return page === null ? 0 : page.scrollWidth - window.innerWidth
    })
    t.ok(overflow <= 0, 'a 30 000 character word and a stack of accents stay inside the window')
    await pageA.screenshot({ path: path.join(ARTIFACTS, 'names-02-hostile-text.png') })

    await bobItem.getByTestId('member-remove').click()
    const confirm = pageA.getByTestId('member-remove-dialog')
    await confirm.waitFor()
    const said = (await confirm.innerText()).replace(/\s+/g, ' ')
    t.ok(
      said.includes(`Remove ${bobLabel} from the room?`),
      'the confirmation names him with his key'
    )
    t.ok(said.includes('They can no longer read new messages or write.'), 'and says what it does')
    t.ok(said.includes(bobId), 'and shows his whole key')
    await pageA.screenshot({ path: path.join(ARTIFACTS, 'names-03-confirm-removal.png') })
    await pageA.getByTestId('member-remove-confirm').click()
    await bobItem.waitFor({ state: 'detached' })
    t.pass('removed, he leaves the panel')
    t.is(
      await hostileRow.getByTestId('message-author').innerText(),
      bobLabel,
      'his messages still tell him apart'
    )
    t.alike(pageErrors, [], 'no uncaught errors in either page')
  }
)
