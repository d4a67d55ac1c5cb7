import path from 'path'
import test from 'brittle'
import type { Page } from 'playwright-core'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'
import {
  createRoom,
  inviteCode,
  join,
  launchChromium,
  message,
  onboard,
  roomItem,
  send,
  shot
} from '../helpers/browser-app.js'
import { serveWeb } from '../helpers/web.js'

/**
 * What is wrong with the open room's header: a control or the room name squeezed to nothing,
 * off the window, overlapping another, or covered by something else (a panel).
 */
async function headerProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const header = document.querySelector('[data-testid="room-header"]')
    if (header === null) return ['no header']
    // what a narrow header folds away (display: none) is not there to overlap
    const parts = [
      ...header.querySelectorAll<HTMLElement>('.room-header-name, button, .connection-state')
    ].filter((el) => el.getClientRects().length > 0)
    const nameOf = (el: HTMLElement): string =>
      el.dataset.testid ?? el.getAttribute('aria-label') ?? el.className
    const problems: string[] = []
    const boxes = parts.map((el) => el.getBoundingClientRect())
    parts.forEach((el, i) => {
      const box = boxes[i]
      if (box.width < 24) problems.push(`${nameOf(el)} is ${box.width}px wide`)
      if (box.left < 0 || box.right > window.innerWidth || box.bottom > window.innerHeight) {
        problems.push(`${nameOf(el)} is outside the window`)
      }
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
      if (hit === null || !el.contains(hit)) problems.push(`${nameOf(el)} is covered`)
      for (let j = 0; j < i; j++) {
        const other = boxes[j]
        const apart =
          box.right <= other.left ||
          other.right <= box.left ||
          box.bottom <= other.top ||
          other.bottom <= box.top
        if (!apart) problems.push(`${nameOf(el)} overlaps ${nameOf(parts[j])}`)
      }
    })
    return problems
  })
}

/** The element is on screen and nothing covers its middle (a click there reaches it). */
async function reachable(page: Page, testId: string): Promise<boolean> {
  return page.evaluate((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`)
    if (el === null) return false
    const box = el.getBoundingClientRect()
    if (box.width === 0 || box.right > window.innerWidth || box.bottom > window.innerHeight) {
      return false
    }
    const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
    return hit !== null && el.contains(hit)
  }, testId)
}

async function computedDirection(page: Page, selector: string): Promise<string> {
  return page.locator(selector).evaluate((el) => getComputedStyle(el).direction)
}

test(
  'the app as a demanding user sees it: narrow windows, right-to-left text, links, long messages, live names, unread divider, removal (restarts: web-restart.test.ts)',
  { timeout: 240_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const bootstrap = bootstrapOf(testnet)
    const dirs = await tempDir(t)
    const alice = await serveWeb(t, path.join(dirs, 'alice'), bootstrap)
    const bob = await serveWeb(t, path.join(dirs, 'bob'), bootstrap)
    const browser = await launchChromium(t)
    const viewport = { width: 1200, height: 800 }
    const pageA = await (await browser.newContext({ viewport })).newPage()
    const pageB = await (await browser.newContext({ viewport })).newPage()
    const pageErrors: string[] = []
    const consoleLines: string[] = []
    for (const page of [pageA, pageB]) {
      page.on('pageerror', (err) => pageErrors.push(err.message))
      page.on('console', (line) => consoleLines.push(line.text()))
    }

    await pageA.goto(alice.url)
    await onboard(pageA, 'Alice')
    await createRoom(pageA, 'general')
    const code = await inviteCode(pageA)
    await pageB.goto(bob.url)
    await onboard(pageB, 'Bob')
    await join(pageB, code, 'general')
    await send(pageB, 'hello from bob')
    await message(pageA, 'hello from bob').waitFor()

    // ---- narrow windows ----
    const header = pageA.getByTestId('room-header')
    const members = pageA.getByTestId('members-panel')
    await pageA.setViewportSize({ width: 800, height: 600 })
    await pageA.getByTestId('members-open').click()
    await pageA.getByTestId('member-item').nth(1).waitFor()
    t.alike(await headerProblems(pageA), [], '800×600, members open: the header fits')
    t.ok(await reachable(pageA, 'members-close'), 'the members panel’s close button is reachable')
    await shot(pageA, 'ux-01-800x600-members')
    await pageA.keyboard.press('Escape')
    await members.waitFor({ state: 'detached' })
    t.pass('Esc closes the members panel')

    await pageA.setViewportSize({ width: 400, height: 800 })
    t.alike(await headerProblems(pageA), [], '400×800: the header fits')
    t.is(await pageA.getByTestId('sidebar').isVisible(), false, 'one pane: the room, no list')
    t.ok(await reachable(pageA, 'composer'), 'the composer is on screen')
    await shot(pageA, 'ux-02-400x800-room')
    await pageA.getByTestId('room-list-toggle').click()
    await roomItem(pageA, 'general').waitFor()
    t.is(await header.isVisible(), false, 'the room list replaces the room')
    await shot(pageA, 'ux-03-400x800-rooms')
    await roomItem(pageA, 'general').click()
    await header.waitFor()
    t.pass('picking a room shows it again')
    await pageA.getByTestId('members-open').click()
    await pageA.getByTestId('member-item').nth(1).waitFor()
    t.ok(await reachable(pageA, 'members-close'), '400×800: the members close button is reachable')
    await pageA.getByTestId('members-close').click()
    await members.waitFor({ state: 'detached' })
    t.alike(await headerProblems(pageA), [], 'and the header is back, whole')

    await pageA.setViewportSize(viewport)
    await pageA.getByTestId('room-list-toggle').click()
    await pageA.getByTestId('sidebar').waitFor({ state: 'hidden' })
    t.alike(await headerProblems(pageA), [], 'a wide window can fold the room list away')
    await pageA.getByTestId('room-list-toggle').click()
    await pageA.getByTestId('sidebar').waitFor()

    // ---- right-to-left text ----
    await send(pageB, 'שלום, מה שלומך? (בסדר)')
    await send(pageB, 'مرحبا بالجميع!')
    await message(pageA, 'مرحبا').waitFor()
    const hebrew = '[data-testid="message"]:has-text("שלום") .message-text'
    t.is(await computedDirection(pageA, hebrew), 'rtl', 'a Hebrew message reads right to left')
    t.is(
      await computedDirection(pageA, '[data-testid="message"]:has-text("مرحبا") .message-text'),
      'rtl',
      'an Arabic one too'
    )
    t.is(
      await computedDirection(
        pageA,
        '[data-testid="message"]:has-text("hello from bob") .message-text'
      ),
      'ltr',
      'English stays left to right'
    )
    await pageA.getByTestId('composer').fill('مرحبا يا بوب')
    t.is(await computedDirection(pageA, '[data-testid="composer"]'), 'rtl', 'so does the composer')
    await pageA.getByTestId('composer').press('Enter')
    await message(pageB, 'مرحبا يا بوب').waitFor()
    await shot(pageA, 'ux-04-rtl')

    // ---- links and formatting ----
    const formatted = [
      'Notes: *really* **important**, ~~old~~ and `npm test`',
      '> quoted line',
      '```',
      'const a = <b>1</b>',
      '```',
      'Read https://example.com/page?x=1 or www.example.org',
      '<b>not bold</b> <img src=x onerror=alert(1)> ![pic](https://example.com/p.png)',
      'javascript:alert(1) [masked](https://example.net)'
    ].join('\n')
    await send(pageB, formatted)
    const rich = message(pageA, 'Notes:').getByTestId('message-text')
    await rich.waitFor()
    const link = rich.locator('a[href="https://example.com/page?x=1"]')
    t.is(await link.getAttribute('target'), '_blank', 'a link opens outside the app window')
    t.is(await link.getAttribute('rel'), 'noopener noreferrer', 'without handing over the app')
    t.is(
      await rich.locator('a[href="http://www.example.org"]').count(),
      1,
      'a www. address is a link too'
    )
    const tags = await rich.evaluate((el) =>
      ['em', 'strong', 's', 'code', 'blockquote', 'pre', 'img', 'b', 'a'].map(
        (tag) => `${tag}:${el.querySelectorAll(tag).length}`
      )
    )
    t.alike(
      tags,
      ['em:1', 'strong:1', 's:1', 'code:2', 'blockquote:1', 'pre:1', 'img:0', 'b:0', 'a:4'],
      'emphasis, code, a quote and a code block render; no HTML, no images'
    )
    const shown = (await rich.textContent()) ?? ''
    t.ok(shown.includes('<b>not bold</b>'), 'HTML shows as the text it is')
    t.ok(shown.includes('[masked]('), 'a masked link stays text, so its words cannot lie')
    const popup = pageA.context().waitForEvent('page')
    await link.click()
    const opened = await popup
    t.is(await opened.evaluate(() => window.opener), null, 'the new tab cannot reach the app')
    await opened.close()
    t.ok(
      pageA.url().startsWith(alice.url.split('#')[0].split('?')[0]),
      'the app stays where it was'
    )
    await shot(pageA, 'ux-06-links-formatting')

    // ---- a 64 KiB paste ----
    let flood = ''
    for (let i = 1; flood.length < 65_000; i++) flood += `flood line ${i} lorem ipsum dolor\n`
    flood = flood.slice(0, 65_000) + 'flood end'
    await pageB.getByTestId('composer').fill(flood)
    await pageB.getByTestId('composer').press('Enter')
    const floodRow = message(pageA, 'flood line 1 ')
    await floodRow.waitFor()
    const floodText = floodRow.getByTestId('message-text')
    const collapsedHeight = (await floodRow.boundingBox())?.height ?? Infinity
    t.ok(collapsedHeight < 600, `a 64 KiB message is collapsed (${collapsedHeight}px tall)`)
    t.absent(((await floodText.textContent()) ?? '').includes('flood end'), 'its end is not shown')
    await floodRow.getByTestId('message-show-more').click()
    await floodText.filter({ hasText: 'flood end' }).waitFor()
    t.pass('"Show more" shows all of it')
    await floodRow.getByTestId('message-show-more').click()
    await floodText.filter({ hasNotText: 'flood end' }).waitFor()
    t.pass('and "Show less" folds it again')

    // ---- a rename reaches rows already on screen ----
    const authors = pageA.getByTestId('message-author')
    // a row of his with its author shown, at the bottom where the list has it rendered
    await send(pageA, 'what is your full name?')
    await message(pageB, 'what is your full name?').waitFor()
    await send(pageB, 'it is Robert')
    const lastOfBob = message(pageA, 'it is Robert').getByTestId('message-author')
    t.is(await lastOfBob.textContent(), 'Bob', 'alice sees bob’s messages as Bob')
    await pageB.getByTestId('settings-open').click()
    await pageB.getByTestId('settings-name').fill('Robert')
    await pageB.getByTestId('settings-name-save').click()
    await pageB.getByTestId('settings-name-saved').waitFor()
    t.pass('saving a name says it was saved')
    await pageB.getByTestId('dialog-close').click()
    await lastOfBob.filter({ hasText: 'Robert' }).waitFor()
    t.absent(
      (await authors.allTextContents()).includes('Bob'),
      'every rendered row of his now says Robert, none Bob'
    )
    const avatars = await pageA.locator('.message.theirs .message-avatar .avatar').allTextContents()
    t.alike([...new Set(avatars)], ['R'], 'and his avatars show R')
    const renamed = pageA.locator('[data-testid="roster-line"][data-kind="renamed"]')
    await renamed.waitFor()
    t.ok(
      ((await renamed.textContent()) ?? '').startsWith('Bob is now called Robert'),
      'a quiet line in the timeline says he changed his name'
    )
    await shot(pageA, 'ux-08-roster-line-rename')

    // ---- small ones: the room name limit, a stray click beside a dialog ----
    await pageA.getByTestId('create-room-open').click()
    await pageA.getByTestId('create-room-name').fill('a very long room name '.repeat(4))
    t.ok(
      ((await pageA.getByTestId('create-room-name-limit').textContent()) ?? '').includes(
        '64 of 64 characters: a longer name is cut here'
      ),
      'a room name at the limit says it is cut there'
    )
    await pageA.mouse.click(3, 3)
    t.is(
      (await pageA.getByTestId('create-room-name').inputValue()).length,
      64,
      'a click on the backdrop keeps what was typed'
    )
    await pageA.getByTestId('dialog-close').click()

    // ---- the first unread, after coming back ----
    await createRoom(pageA, 'quiet')
    const soloState = pageA.getByTestId('connection-state')
    t.is(
      await soloState.textContent(),
      'Only you are here: invite someone',
      'a room with only alice says so instead of "Connecting…"'
    )
    await pageA.getByTestId('solo-invite').click()
    await pageA.getByTestId('invite-create').waitFor()
    t.pass('and its Invite button opens the invite dialog')
    await pageA.getByTestId('dialog-close').click()
    for (let i = 1; i <= 30; i++) await send(pageB, `unread ${i}\nsecond line`)
    await roomItem(pageA, 'general')
      .getByTestId('unread-count')
      .filter({ hasText: /^30$/ })
      .waitFor()
    await pageA.reload()
    await roomItem(pageA, 'general').click()
    const divider = pageA.getByTestId('unread-divider')
    await divider.waitFor()
    const around = await divider.evaluate((el) => {
      const row = el.closest('.vlist-row')
      const list = el.closest('.vlist')
      const below = row?.querySelector('[data-testid="message-text"]')?.textContent ?? ''
      const rows = [...document.querySelectorAll<HTMLElement>('.vlist-row')].sort(
        (a, b) => a.offsetTop - b.offsetTop
      )
      const above = rows[rows.indexOf(row as HTMLElement) - 1]
      const aboveText = above?.querySelector('[data-testid="message-text"]')?.textContent ?? ''
      const top = el.getBoundingClientRect().top - (list?.getBoundingClientRect().top ?? 0)
      return { below, aboveText, top, height: list?.clientHeight ?? 0 }
    })
    t.ok(/^unread \d/.test(around.below), 'the divider sits above the first unread message')
    t.ok(around.aboveText.includes('it is Robert'), 'below the last one read')
    t.ok(
      around.top >= 0 && around.top < around.height / 3,
      `the room opens at the divider, near the top (${around.top}px of ${around.height}px)`
    )
    t.is(await divider.textContent(), '30 new messages', 'which says how many')
    const jumpCount = pageA.getByTestId('jump-latest-count')
    t.is(await jumpCount.textContent(), '30', '"jump to newest" shows the unread count')
    await shot(pageA, 'ux-07-unread-divider')
    await pageA.getByTestId('jump-latest').click()
    await message(pageA, 'unread 30').waitFor()
    await roomItem(pageA, 'general').getByTestId('unread-count').waitFor({ state: 'detached' })
    t.pass('jumping to the newest reads the room')

    // ---- removal, as the removed person sees it ----
    await pageB.getByTestId('join-open').click()
    await pageB.getByTestId('join-code').fill(code)
    await pageB.getByTestId('join-submit').click()
    const alreadyIn = pageB.getByTestId('join-already-in')
    await alreadyIn.waitFor()
    t.ok(
      ((await alreadyIn.textContent()) ?? '').includes('already in general'),
      'joining a room he is in already says so'
    )
    await pageB.getByTestId('dialog-close').click()
    await createRoom(pageA, 'side')
    const sideCode = await inviteCode(pageA)
    // the invite as an email brings it: in a sentence, quoted, in upper case, wrapped
    const sideLink = `ROOST://INVITE/${sideCode.toUpperCase()}`
    await join(
      pageB,
      `Join my room:\n> "${sideLink.slice(0, 70)}\n> ${sideLink.slice(70)}"\nsee you there`,
      'side'
    )
    t.pass('bob joins with the invite pasted from an email')
    await send(pageB, 'bob was here')
    await message(pageA, 'bob was here').waitFor()
    await pageA.getByTestId('members-open').click()
    const bobItem = pageA.getByTestId('member-item').filter({ hasNotText: '(you)' })
    await bobItem.getByTestId('member-remove').click()
    await pageA.getByTestId('member-remove-confirm').click()
    await bobItem.waitFor({ state: 'detached' })
    await pageA.getByTestId('members-close').click()
    const removedNote = pageB.getByTestId('composer-removed')
    await removedNote.waitFor()
    t.ok(
      ((await removedNote.textContent()) ?? '').includes('You were removed from this room'),
      'bob is told he was removed, not that he may have just joined'
    )
    t.ok(await message(pageB, 'bob was here').isVisible(), 'and his history stays readable')
    const removedLine = pageA.locator('[data-testid="roster-line"][data-kind="removed"]')
    await removedLine.waitFor()
    t.is(
      await removedLine.locator('.roster-line-text').textContent(),
      'Alice removed Robert',
      'alice’s timeline says who removed whom'
    )
    await shot(pageB, 'ux-05-removed')
    await removedNote.getByTestId('leave-room').click()
    await pageB.getByTestId('leave-room-confirm').click()
    await roomItem(pageB, 'side').waitFor({ state: 'detached' })
    t.ok(await roomItem(pageB, 'general').isVisible(), '"Leave room" takes the room off his list')

    const tokens = [alice.url, bob.url].map((url) => new URL(url).searchParams.get('token') ?? '')
    t.absent(
      consoleLines.some((line) => tokens.some((token) => line.includes(token))),
      'no token is ever printed to the console'
    )
    t.alike(pageErrors, [], 'no uncaught errors in either page')
  }
)
