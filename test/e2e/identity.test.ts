import path from 'path'
import test from 'brittle'
import type { Page } from 'playwright-core'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'
import { createRoom, launchChromium, send, shot } from '../helpers/browser-app.js'
import { serveWeb } from '../helpers/web.js'

async function phraseOnScreen(page: Page): Promise<string> {
  const words = await page.getByTestId('recovery-phrase').locator('bdi').allTextContents()
  return words.join(' ')
}

async function profileIdInSettings(page: Page): Promise<string> {
  await page.getByTestId('settings-open').click()
  const text = (await page.locator('.settings-section .mono').first().textContent()) ?? ''
  return text.trim()
}

test(
  'the app: a new profile shows its 24 words once, Settings again, and they restore it',
  { timeout: 180_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const bootstrap = bootstrapOf(testnet)
    const dirs = await tempDir(t)
    const browser = await launchChromium(t)

    const laptop = await browser.newPage()
    await laptop.goto((await serveWeb(t, path.join(dirs, 'laptop'), bootstrap)).url)
    await laptop.getByTestId('onboarding-name').fill('Ada')
    await laptop.getByTestId('onboarding-submit').click()
    await laptop.getByTestId('onboarding-phrase-step').waitFor()
    const phrase = await phraseOnScreen(laptop)
    t.is(phrase.split(' ').length, 24, 'the 24 words, right after the name')
    t.ok(
      await laptop.getByTestId('onboarding-phrase-done').isDisabled(),
      'no way on before "I wrote them down"'
    )
    await shot(laptop, 'identity-01-phrase')
    await laptop.getByTestId('onboarding-phrase-written').check()
    await laptop.getByTestId('onboarding-phrase-done').click()
    await laptop.getByTestId('create-room-open').waitFor()
    t.is(await laptop.getByTestId('recovery-phrase').count(), 0, 'then gone from the screen')

    const id = await profileIdInSettings(laptop)
    t.ok(id.length > 40, 'the profile id shows in Settings')
    await laptop.getByTestId('settings-phrase-open').click()
    t.is(await laptop.getByTestId('recovery-phrase').count(), 0, 'behind a confirmation')
    await laptop.getByTestId('settings-phrase-show').click()
    await laptop.getByTestId('recovery-phrase').waitFor()
    t.is(await phraseOnScreen(laptop), phrase, 'Settings shows the same words')

    // a room with history on the laptop: the restored device must bring it back by itself
    await laptop.keyboard.press('Escape')
    await createRoom(laptop, 'Family')
    await send(laptop, 'kept for the new phone')
    await laptop.locator('[data-testid="message"]', { hasText: 'kept for the new phone' }).waitFor()

    const phone = await browser.newPage()
    await phone.goto((await serveWeb(t, path.join(dirs, 'phone'), bootstrap)).url)
    await phone.getByTestId('onboarding-restore').click()
    const misspelt = [...phrase.split(' ').slice(0, 23), 'abandonn'].join(' ')
    await phone.getByTestId('onboarding-phrase').fill(misspelt)
    await phone.getByTestId('onboarding-submit').click()
    await phone.locator('[data-testid="error"][data-code="PHRASE_INVALID"]').waitFor()
    t.pass('a wrong phrase is refused on the form')
    await shot(phone, 'identity-02-restore-refused')
    await phone.getByTestId('onboarding-phrase').fill(phrase.toUpperCase())
    await phone.getByTestId('onboarding-submit').click()
    await phone.getByTestId('create-room-open').waitFor()
    t.is(await phone.getByTestId('onboarding-phrase-step').count(), 0, 'no words shown again')
    await phone.locator('[data-testid="message"]', { hasText: 'kept for the new phone' }).waitFor()
    t.pass('the room and its history came back with the words, no invite')
    await shot(phone, 'identity-03-restored-room')
    t.is(await profileIdInSettings(phone), id, 'the same profile on the new device')
    t.is(
      (await phone.getByTestId('settings-name').inputValue()).trim(),
      'Ada',
      'and the name the record keeps, typed nowhere on the phone'
    )
  }
)
