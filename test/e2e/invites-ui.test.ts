import path from 'path'
import test from 'brittle'
import type { Page } from 'playwright-core'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'
import { createRoom, launchChromium, onboard, shot } from '../helpers/browser-app.js'
import { serveWeb } from '../helpers/web.js'

function inviteItem(page: Page, note: string) {
  return page.getByTestId('invite-item').filter({ hasText: note })
}

test(
  'invites: copied again after the dialog reopens, labelled by note, expiry and uses; revoke asks first',
  { timeout: 120_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const core = await serveWeb(t, path.join(await tempDir(t), 'alice'), bootstrapOf(testnet))
    const browser = await launchChromium(t)
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } })
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: core.url })
    const page = await context.newPage()
    const pageErrors: string[] = []
    page.on('pageerror', (err) => pageErrors.push(err.message))
    await page.goto(core.url)
    await onboard(page, 'Alice')
    await createRoom(page, 'general')

    // two invites: one for Bob (1 day, 5 people), one for Carol (never expires, anyone)
    await page.getByTestId('invite-open').click()
    await page.getByTestId('invite-note-input').fill('for Bob')
    await page.getByTestId('invite-uses').selectOption({ label: '5 people' })
    await page.getByTestId('invite-create').click()
    await inviteItem(page, 'for Bob').waitFor()
    const bobCode = (await page.getByTestId('invite-code').textContent())?.trim() ?? ''
    t.ok(bobCode.length > 0, 'the new invite shows its code')
    await page.getByTestId('invite-note-input').fill('for Carol')
    await page.getByTestId('invite-expiry').selectOption({ label: 'Never' })
    await page.getByTestId('invite-uses').selectOption({ label: 'Any number' })
    await page.getByTestId('invite-create').click()
    await inviteItem(page, 'for Carol').waitFor()
    const carolCode = (await page.getByTestId('invite-code').textContent())?.trim() ?? ''
    t.not(carolCode, bobCode, 'each invite has its own code')
    await page.getByTestId('dialog-close').click()

    // ---- reopened: no new invite on show, but each listed one can be copied again ----
    await page.getByTestId('invite-open').click()
    await inviteItem(page, 'for Carol').waitFor()
    t.is(await page.getByTestId('invite-code').count(), 0, 'no just-created invite is shown')
    const bob = inviteItem(page, 'for Bob')
    const bobLimits = (await bob.getByTestId('invite-limits').textContent()) ?? ''
    t.ok(bobLimits.includes('Expires in 1 day'), `expiry in words: ${bobLimits}`)
    t.ok(bobLimits.includes('5 of 5 uses left'), 'uses left of the limit')
    const carolLimits =
      (await inviteItem(page, 'for Carol').getByTestId('invite-limits').textContent()) ?? ''
    t.ok(carolLimits.includes('Never expires'), 'an invite without expiry says so')
    t.ok(carolLimits.includes('Unlimited uses'), 'and one without a limit says so')
    await bob.getByTestId('invite-item-copy').click()
    await bob.getByTestId('invite-item-copy').filter({ hasText: 'Copied' }).waitFor()
    t.is(await page.evaluate(() => navigator.clipboard.readText()), bobCode, "Bob's code is copied")
    const carolCopy = inviteItem(page, 'for Carol').getByTestId('invite-item-copy')
    await carolCopy.click()
    await carolCopy.filter({ hasText: 'Copied' }).waitFor()
    t.is(
      await page.evaluate(() => navigator.clipboard.readText()),
      carolCode,
      "Carol's is copied from her line"
    )

    // ---- revoke asks: Cancel and Esc keep the invite, confirming revokes it ----
    await bob.getByTestId('invite-revoke').click()
    await bob.getByTestId('invite-revoke-cancel').click()
    t.is(await bob.getAttribute('data-state'), 'active', 'Cancel keeps it active')
    await bob.getByTestId('invite-revoke').click()
    await page.keyboard.press('Escape')
    await bob.getByTestId('invite-revoke').waitFor()
    t.ok(await page.getByTestId('invite-note-input').isVisible(), 'Esc leaves the dialog open')
    t.is(await bob.getAttribute('data-state'), 'active', 'Esc keeps it active')
    await bob.getByTestId('invite-revoke').click()
    await shot(page, 'invites-revoke-confirm')
    await bob.getByTestId('invite-revoke-confirm').click()
    await page.locator('[data-testid="invite-item"][data-state="revoked"]').waitFor()
    t.is(await inviteItem(page, 'for Bob').getAttribute('data-state'), 'revoked', 'confirm revokes')
    t.is(await bob.getByTestId('invite-item-copy').count(), 0, 'a revoked invite has no Copy')
    t.is(
      await inviteItem(page, 'for Carol').getAttribute('data-state'),
      'active',
      'the other invite is untouched'
    )
    t.alike(pageErrors, [], 'no page errors')
  }
)
