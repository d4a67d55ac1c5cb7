import test from 'brittle'
import path from 'path'
import type { Locator, Page } from 'playwright-core'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'
import {
  createRoom,
  inviteCode,
  join,
  launchChromium,
  onboard,
  roomItem,
  shot
} from '../helpers/browser-app.js'
import { serveWeb } from '../helpers/web.js'
import { roomColor } from '../../src/renderer/util/room-color.js'

/** A room's colour as the browser computes it: `#rrggbb` as `rgb(r, g, b)`. */
function cssRgb(key: string): string {
  const hex = roomColor(key)
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
  return `rgb(${channels.join(', ')})`
}

function background(avatar: Locator): Promise<string> {
  return avatar.evaluate((el) => getComputedStyle(el).backgroundColor)
}

function focusedTestId(page: Page): Promise<string | null> {
  return page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? null)
}

test(
  'rooms of one name look apart; the room menu renames (admins only), sets notify and leaves, by mouse or keyboard',
  { timeout: 120_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const core = await serveWeb(t, path.join(await tempDir(t), 'alice'), bootstrapOf(testnet))
    const browser = await launchChromium(t)
    const page = await (
      await browser.newContext({ viewport: { width: 1000, height: 700 } })
    ).newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (err) => pageErrors.push(err.message))
    await page.goto(core.url)
    await onboard(page, 'Alice')
    await createRoom(page, 'general')
    await createRoom(page, 'general')

    // ---- two rooms named alike ----
    const generals = roomItem(page, 'general')
    await generals.nth(1).waitFor()
    const colours = await Promise.all(
      [0, 1].map((i) => background(generals.nth(i).getByTestId('room-avatar')))
    )
    const keys = await Promise.all(
      [0, 1].map(async (i) => (await generals.nth(i).getAttribute('data-room-id')) ?? '')
    )
    // each its key's colour: apart, but for the 1 in ~1,000 pairs of keys whose colours coincide
    t.alike(
      colours,
      keys.map(cssRgb),
      `each room's avatar is its key's colour (${colours.join(', ')})`
    )
    if (roomColor(keys[0]) !== roomColor(keys[1]))
      t.not(colours[0], colours[1], 'two rooms named general differ in colour')
    const active = page.locator('.room-item.active').getByTestId('room-avatar')
    const header = page.getByTestId('room-header')
    t.is(
      await background(header.getByTestId('room-avatar')),
      await background(active),
      'the header shows the open room in its list colour'
    )
    await shot(page, 'room-menu-01-two-generals')

    // ---- the menu: Esc, a click outside, the keyboard ----
    const open = page.getByTestId('room-menu-open')
    const menu = page.getByTestId('room-menu')
    await open.click()
    await menu.waitFor()
    t.is(await focusedTestId(page), 'room-menu-info', 'opening it focuses its first item')
    await page.keyboard.press('Escape')
    await menu.waitFor({ state: 'detached' })
    t.is(await focusedTestId(page), 'room-menu-open', 'Esc closes it and the focus goes back')
    await page.keyboard.press('ArrowDown')
    await menu.waitFor()
    await page.keyboard.press('ArrowDown')
    t.is(await focusedTestId(page), 'room-menu-notify', '↓ opens it from the button, ↓ moves on')
    await page.keyboard.press('End')
    t.is(await focusedTestId(page), 'room-menu-leave', 'End goes to the last item')
    await page.keyboard.press('ArrowDown')
    t.is(await focusedTestId(page), 'room-menu-info', 'and ↓ past it wraps to the first')
    await page.getByTestId('composer').click()
    await menu.waitFor({ state: 'detached' })
    t.pass('a click outside closes it')

    // ---- rename and topic (alice is the admin) ----
    await open.click()
    await page.keyboard.press('Enter')
    await page.getByTestId('room-info-name').fill('general (work)')
    await page.getByTestId('room-info-topic').fill('the one for work')
    await page.getByTestId('room-info-save').click()
    await header.filter({ hasText: 'general (work)' }).waitFor()
    t.ok(
      ((await header.textContent()) ?? '').includes('the one for work'),
      'the header shows the new name and topic'
    )
    await roomItem(page, 'general (work)').waitFor()
    t.is(await roomItem(page, 'general').count(), 2, 'the list too, beside the other general')

    // ---- notify ----
    await open.click()
    await menu.locator('[data-level="none"]').click()
    await menu.waitFor({ state: 'detached' })
    await open.click()
    await menu.locator('[data-level="none"][aria-checked="true"]').waitFor()
    t.pass('muting it from the menu sticks')
    await shot(page, 'room-menu-02-open')
    await page.keyboard.press('Escape')

    // ---- leave, with a confirmation ----
    await open.click()
    await page.getByTestId('room-menu-leave').click()
    await page.getByRole('button', { name: 'Keep it' }).click()
    t.is(await roomItem(page, 'general (work)').count(), 1, '"Keep it" keeps the room')
    await open.click()
    await page.getByTestId('room-menu-leave').click()
    await page.getByTestId('room-leave-confirm').click()
    await roomItem(page, 'general (work)').waitFor({ state: 'detached' })
    t.is(await roomItem(page, 'general').count(), 1, 'leaving takes it off the list, not the other')
    await header.filter({ hasText: 'general' }).waitFor()
    t.pass('and the other room opens')

    // ---- a member who is not an admin ----
    const bob = await serveWeb(t, path.join(await tempDir(t), 'bob'), bootstrapOf(testnet))
    const code = await inviteCode(page)
    const pageB = await (await browser.newContext()).newPage()
    pageB.on('pageerror', (err) => pageErrors.push(err.message))
    await pageB.goto(bob.url)
    await onboard(pageB, 'Bob')
    await join(pageB, code, 'general')
    await pageB.getByTestId('room-menu-open').click()
    await pageB.getByTestId('room-menu-leave').waitFor()
    t.is(await pageB.getByTestId('room-menu-info').count(), 0, 'a member sees no rename')
    t.is(await pageB.getByTestId('room-menu-notify').count(), 3, 'but sets his own notify level')

    t.alike(pageErrors, [], 'no uncaught errors')
  }
)
