import fs from 'fs/promises'
import path from 'path'
import { fileURLToPath } from 'url'
import type { Test } from 'brittle'
import { chromium, type Browser, type Page } from 'playwright-core'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const ARTIFACTS = path.join(ROOT, 'test', 'artifacts')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Debian's Chromium, headless, closed at teardown; test/artifacts/ exists for screenshots. */
export async function launchChromium(t: Test): Promise<Browser> {
  await fs.access(CHROMIUM).catch(() => {
    throw new Error(`Chromium is not at ${CHROMIUM}: apt-get install -y chromium (.ci/run does)`)
  })
  await fs.mkdir(ARTIFACTS, { recursive: true })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu']
  })
  t.teardown(() => browser.close(), { order: -10 })
  return browser
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, name + '.png') })
}

/** A new profile from the first screen, past its "write these words down" step. */
export async function onboard(page: Page, name: string): Promise<void> {
  await page.getByTestId('onboarding-name').fill(name)
  await page.getByTestId('onboarding-submit').click()
  await page.getByTestId('onboarding-phrase-written').check()
  await page.getByTestId('onboarding-phrase-done').click()
}

export async function createRoom(page: Page, name: string): Promise<void> {
  await page.getByTestId('create-room-open').click()
  await page.getByTestId('create-room-name').fill(name)
  await page.getByTestId('create-room-submit').click()
  await page.getByTestId('room-header').filter({ hasText: name }).waitFor()
}

/** Creates an invite in the open room's invite dialog and returns its code. */
export async function inviteCode(page: Page): Promise<string> {
  await page.getByTestId('invite-open').click()
  await page.getByTestId('invite-create').click()
  const code = (await page.getByTestId('invite-code').textContent())?.trim() ?? ''
  await page.getByTestId('dialog-close').click()
  return code
}

export async function join(page: Page, code: string, roomName: string): Promise<void> {
  await page.getByTestId('join-open').click()
  await page.getByTestId('join-code').fill(code)
  await page.getByTestId('join-submit').click()
  await page.getByTestId('room-header').filter({ hasText: roomName }).waitFor()
}

export async function send(page: Page, text: string): Promise<void> {
  await page.getByTestId('composer').fill(text)
  await page.getByTestId('composer').press('Enter')
}

export function message(page: Page, text: string) {
  return page.getByTestId('message').filter({ hasText: text })
}

export function roomItem(page: Page, name: string) {
  return page.getByTestId('room-item').filter({ hasText: name })
}
