import test from 'brittle'
import path from 'path'
import type { Page } from 'playwright-core'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'
import {
  createRoom,
  inviteCode,
  join,
  launchChromium,
  message,
  onboard,
  send,
  shot
} from '../helpers/browser-app.js'
import { serveWeb } from '../helpers/web.js'

const pageErrors: string[] = []

async function openPage(t: Parameters<typeof launchChromium>[0], url: string): Promise<Page> {
  const browser = await launchChromium(t)
  const page = await (
    await browser.newContext({ viewport: { width: 1200, height: 800 } })
  ).newPage()
  page.on('pageerror', (err) => pageErrors.push(err.message))
  await page.goto(url)
  return page
}

test(
  'the app: reply, react, edit, delete, pin, @mention and search between two real cores, by mouse and keyboard',
  { timeout: 180_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const dir = await tempDir(t)
    const aliceCore = await serveWeb(t, path.join(dir, 'alice'), bootstrapOf(testnet))
    const bobCore = await serveWeb(t, path.join(dir, 'bob'), bootstrapOf(testnet))
    const alice = await openPage(t, aliceCore.url)
    const bob = await openPage(t, bobCore.url)
    await onboard(alice, 'Alice')
    await onboard(bob, 'Bob')
    await createRoom(alice, 'crew')
    await join(bob, await inviteCode(alice), 'crew')

    await send(alice, 'Lunch at Café Müller tomorrow?')
    const lunchAtBob = message(bob, 'Lunch at Café Müller').first()
    await lunchAtBob.waitFor()

    // ---- reply, by mouse: the quote shows on both sides ----
    await lunchAtBob.hover()
    await lunchAtBob.getByTestId('action-reply').click()
    await bob.getByTestId('composer-reply').waitFor()
    t.ok(
      (await bob.getByTestId('composer-reply').textContent())?.includes('Alice'),
      'the composer says whom it replies to'
    )
    await send(bob, 'Yes, at noon')
    const replyAtAlice = message(alice, 'Yes, at noon')
    await replyAtAlice.getByTestId('reply-quote').filter({ hasText: 'Lunch at Café' }).waitFor()
    t.pass("alice sees bob's reply with the quoted original")

    // ---- react, by keyboard: Tab to the action, the picker's search, Enter ----
    const lunchAtAlice = message(alice, 'Lunch at Café Müller').first()
    await lunchAtAlice.getByTestId('action-react').focus()
    await alice.keyboard.press('Enter')
    await alice.getByTestId('emoji-search').waitFor()
    await lunchAtAlice.hover()
    await shot(alice, 'conversation-00-message-actions')
    await alice.getByTestId('emoji-search').focus()
    await alice.keyboard.type('party')
    await alice.keyboard.press('Enter')
    await lunchAtBob.locator('[data-emoji="🎉"]').waitFor()
    t.pass("alice's 🎉 shows at bob's")
    await lunchAtBob.locator('[data-emoji="🎉"]').click() // bob adds his own by the chip
    await lunchAtAlice.locator('[data-emoji="🎉"]').filter({ hasText: '2' }).waitFor()
    t.pass('two reactions, counted on both sides')
    t.ok(
      (await lunchAtAlice.locator('[data-emoji="🎉"]').getAttribute('title'))?.includes('Bob'),
      'hovering names who reacted'
    )
    await shot(alice, 'conversation-01-reply-and-reactions')

    // ---- edit: ↑ in the empty composer edits my last message ----
    await bob.getByTestId('composer').focus()
    await bob.keyboard.press('ArrowUp')
    await bob.getByTestId('composer-edit').waitFor()
    await bob.getByTestId('composer').fill('Yes, at half past twelve')
    await bob.keyboard.press('Enter')
    const edited = message(alice, 'half past twelve')
    await edited.getByTestId('message-edited').waitFor()
    t.pass('the edit reaches alice, marked edited, in place')
    t.is(await message(alice, 'Yes, at noon').count(), 0, 'the old text is gone')

    // ---- pin (admin) and the pinned panel ----
    await lunchAtAlice.hover()
    await lunchAtAlice.getByTestId('action-pin').click()
    await bob.getByTestId('pins-open').click()
    await bob.getByTestId('pins-item').filter({ hasText: 'Lunch at Café' }).waitFor()
    t.pass("bob's pinned panel lists alice's pin")
    t.is(
      await message(bob, 'half past twelve').getByTestId('action-pin').count(),
      0,
      'a member has no pin action'
    )
    await bob.getByTestId('pins-panel-close').click()

    // ---- @mention: autocomplete by keyboard ----
    await alice.getByTestId('composer').fill('')
    await alice.getByTestId('composer').type('see you @Bo')
    await alice.getByTestId('mention-suggestions').waitFor()
    await alice.keyboard.press('Enter')
    await alice.keyboard.type('there')
    t.is(
      await alice.getByTestId('composer').inputValue(),
      'see you @Bob there',
      'the mention is completed'
    )
    await alice.keyboard.press('Enter')
    const mention = message(bob, 'see you @Bob there')
    await mention.waitFor()
    t.ok(
      ((await mention.getAttribute('class')) ?? '').includes('mentioned'),
      'bob sees it as a mention of him'
    )

    // ---- delete (admin deletes bob's message): a tombstone on both sides ----
    const toDelete = message(alice, 'half past twelve')
    await toDelete.hover()
    await toDelete.getByTestId('action-delete').click()
    await alice.getByTestId('message-delete-confirm').click()
    await bob.getByTestId('message-deleted').first().waitFor()
    t.is(await message(bob, 'half past twelve').count(), 0, 'the text is gone from bob’s timeline')
    t.ok((await alice.getByTestId('message-deleted').count()) >= 1, 'alice sees the tombstone too')
    await shot(alice, 'conversation-03-deleted')
    // ---- search (Ctrl+F), accents folded, and the jump to the hit ----
    for (let i = 0; i < 30; i++) await send(alice, `filler ${i}`)
    await message(bob, 'filler 29').waitFor()
    await bob.keyboard.press('Control+f')
    await bob.getByTestId('search-input').fill('cafe mull')
    const hit = bob.getByTestId('search-results-item').filter({ hasText: 'Lunch at Café' })
    await hit.waitFor()
    await shot(bob, 'conversation-02-search')
    await hit.click()
    await bob.locator('.message.highlighted').filter({ hasText: 'Lunch at Café' }).waitFor()
    t.pass('a search hit opens the message in context, marked')
    await shot(bob, 'conversation-04-search-jump')
    await bob.keyboard.press('Control+Shift+F')
    await bob.getByTestId('search-panel').filter({ hasText: 'Search all rooms' }).waitFor()
    t.pass('Ctrl+Shift+F searches every room')

    t.alike(pageErrors, [], 'no page errors on either side')
  }
)
