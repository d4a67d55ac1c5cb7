import path from 'path'
import test from 'brittle'
import type { Browser, Page } from 'playwright-core'
import { DEVICE_LINK_PREFIX } from '../../src/shared/api/contract.js'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'
import {
  createRoom,
  launchChromium,
  message,
  onboard,
  roomItem,
  send,
  shot
} from '../helpers/browser-app.js'
import { serveWeb } from '../helpers/web.js'

/** A page on its own core, allowed the clipboard (to check the copy button). */
async function openApp(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url })
  const page = await context.newPage()
  await page.goto(url)
  return page
}

async function profileIdInSettings(page: Page): Promise<string> {
  await page.getByTestId('settings-open').click()
  return ((await page.getByTestId('settings-profile-id').textContent()) ?? '').trim()
}

function otherDevice(page: Page) {
  return page.locator('[data-testid="device-row"][data-current="false"]')
}

test(
  'the app: Settings links a second device with a code (refused when wrong), which gets the profile and its rooms; unlinking asks first',
  { timeout: 240_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const bootstrap = bootstrapOf(testnet)
    const dirs = await tempDir(t)
    const browser = await launchChromium(t)
    const pageErrors: string[] = []

    const laptopCore = await serveWeb(t, path.join(dirs, 'laptop'), bootstrap)
    const laptop = await openApp(browser, laptopCore.url)
    laptop.on('pageerror', (err) => pageErrors.push('laptop: ' + err.message))
    await onboard(laptop, 'Ada')
    await createRoom(laptop, 'Kitchen')
    await send(laptop, 'Soup at eight')
    await message(laptop, 'Soup at eight').waitFor()

    // ---- Settings on the laptop: one device, then a link code as text and as a QR ----
    const profileId = await profileIdInSettings(laptop)
    const devices = laptop.getByTestId('settings-devices')
    await devices.getByTestId('device-row').first().waitFor()
    t.is(await devices.getByTestId('device-row').count(), 1, 'one device before linking')
    t.is(
      await devices.getByTestId('device-row').first().getAttribute('data-current'),
      'true',
      'and it is this one'
    )
    t.is(await devices.getByTestId('device-unlink').count(), 0, 'this device cannot be unlinked')
    await laptop.getByTestId('link-device-open').click()
    await laptop.getByTestId('link-device-code').waitFor()
    const code = ((await laptop.getByTestId('link-device-code').textContent()) ?? '').trim()
    t.ok(code.startsWith(DEVICE_LINK_PREFIX), `the code is a ${DEVICE_LINK_PREFIX} code`)
    await laptop.getByTestId('link-device-qr').waitFor()
    t.pass('and a QR code of it')
    const expiry = (await laptop.getByTestId('link-device-expiry').textContent()) ?? ''
    t.ok(expiry.startsWith('Works once, until'), `with its expiry: ${expiry}`)
    const howTo = (await laptop.getByTestId('link-device-result').textContent()) ?? ''
    t.ok(howTo.includes('I already use Roost'), 'and what to do on the new device')
    await laptop.getByTestId('link-device-copy').click()
    await laptop.getByTestId('link-device-copy').filter({ hasText: 'Copied' }).waitFor()
    t.is(await laptop.evaluate(() => navigator.clipboard.readText()), code, 'Copy copies the code')
    await shot(laptop, 'devices-01-link-code')

    // ---- the phone: a wrong code is refused on the form, the real one links it ----
    const phoneCore = await serveWeb(t, path.join(dirs, 'phone'), bootstrap)
    const phone = await openApp(browser, phoneCore.url)
    phone.on('pageerror', (err) => pageErrors.push('phone: ' + err.message))
    await phone.getByTestId('onboarding-link').click()
    t.is(await phone.getByTestId('onboarding-name').count(), 0, 'linking asks for no name')
    await phone.getByTestId('onboarding-link-code').fill('roost://link/not-a-real-code')
    await phone.getByTestId('onboarding-link-submit').click()
    await phone.locator('[data-testid="error"][data-code="LINK_INVALID"]').waitFor()
    t.ok(await phone.getByTestId('onboarding-link-code').isVisible(), 'still on onboarding')
    t.is(await phone.getByTestId('create-room-open').count(), 0, 'no main screen')
    await shot(phone, 'devices-02-link-refused')

    await phone.getByTestId('onboarding-link-code').fill(code)
    await phone.getByTestId('onboarding-link-submit').click()
    await phone.getByTestId('create-room-open').waitFor()
    t.is(await phone.getByTestId('onboarding-phrase-step').count(), 0, 'no words to write down')
    await roomItem(phone, 'Kitchen').click()
    await message(phone, 'Soup at eight').waitFor()
    t.pass("the phone has the laptop's room, with its message")
    await shot(phone, 'devices-03-phone-linked')
    t.is(await profileIdInSettings(phone), profileId, 'the same profile on the phone')
    await phone.getByTestId('settings-phrase-open').click()
    await phone.getByTestId('settings-phrase-show').click()
    const phraseNote = phone.getByTestId('settings-phrase-elsewhere')
    await phraseNote.waitFor()
    t.is(
      await phraseNote.getAttribute('data-code'),
      'NO_IDENTITY_SECRET',
      'the phone has no recovery phrase to show'
    )
    t.ok(
      ((await phraseNote.textContent()) ?? '').includes('the device that made your profile'),
      'it says the words are on the device that made the profile'
    )
    t.is(await phone.getByTestId('recovery-phrase').count(), 0, 'and shows no words')
    t.is(await phone.getByTestId('settings-phrase').getByTestId('error').count(), 0, 'nor an error')
    t.is(await phone.getByTestId('settings-phrase-open').count(), 0, 'nor a button to try again')
    await shot(phone, 'devices-04-phone-settings')

    // ---- back on the laptop: two devices; unlinking the phone asks first ----
    await laptop.getByTestId('link-device-done').waitFor()
    t.is(await laptop.getByTestId('link-device-code').count(), 0, 'the used code is gone')
    const phoneRow = otherDevice(laptop)
    await phoneRow.filter({ hasText: 'in 1 room' }).waitFor()
    t.is(await devices.getByTestId('device-row').count(), 2, 'two devices listed')
    t.is(
      await devices.getByTestId('device-row').first().getAttribute('data-current'),
      'true',
      'this one first'
    )
    await shot(laptop, 'devices-05-two-devices')
    await phoneRow.getByTestId('device-unlink').click()
    await phoneRow.getByTestId('device-unlink-cancel').click()
    t.is(await phoneRow.getAttribute('data-revoked'), 'false', 'Cancel keeps it linked')
    await phoneRow.getByTestId('device-unlink').click()
    await shot(laptop, 'devices-06-unlink-confirm')
    t.is(await phoneRow.getByTestId('device-unlinked').count(), 0, 'nothing unlinked before Unlink')
    await phoneRow.getByTestId('device-unlink-confirm').click()
    await phoneRow.getByTestId('device-unlinked').waitFor()
    t.is(await phoneRow.getAttribute('data-revoked'), 'true', 'the row shows it unlinked')
    t.ok(
      ((await phoneRow.getByTestId('device-facts').textContent()) ?? '').includes('unlinked'),
      'and says so in words'
    )
    t.is(await phoneRow.getByTestId('device-unlink').count(), 0, 'with no Unlink left on it')
    t.is(await laptop.getByTestId('error').count(), 0, 'no error on the laptop')
    await shot(laptop, 'devices-07-unlinked')
    await phone.keyboard.press('Escape')
    await phone.getByTestId('composer-unlinked').waitFor()
    t.pass('the phone says, where its composer was, that it was unlinked')
    await shot(phone, 'devices-08-phone-unlinked')
    t.alike(pageErrors, [], 'no page errors')
  }
)
