import crypto from 'crypto'
import fs from 'fs/promises'
import path from 'path'
import test, { type Test } from 'brittle'
import type { Page } from 'playwright-core'
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
import { fileSignature } from '../../src/core/web/file-route.js'
import { FILE_ROUTE_PREFIX } from '../../src/shared/api/file-route.js'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'
import { serveWeb } from '../helpers/web.js'

/** Pastes PNGs drawn in the page (like a screenshot on the clipboard) into the composer. */
async function pasteImages(page: Page, sizes: Array<[number, number]>): Promise<void> {
  await page.getByTestId('composer').focus()
  await page.evaluate(async (list) => {
    const transfer = new DataTransfer()
    for (const [width, height] of list) {
      const canvas = document.createElement('canvas')
      canvas.width = width
      canvas.height = height
      const context = canvas.getContext('2d') as CanvasRenderingContext2D
      const gradient = context.createLinearGradient(0, 0, width, height)
      gradient.addColorStop(0, '#2c6bed')
      gradient.addColorStop(1, '#f5a623')
      context.fillStyle = gradient
      context.fillRect(0, 0, width, height)
      context.fillStyle = '#ffffff'
      context.font = `${Math.round(height / 6)}px sans-serif`
      context.fillText(`${width}×${height}`, width / 10, height / 2)
      const blob = await new Promise<Blob>((resolve, reject) =>
        canvas.toBlob((b) => (b === null ? reject(new Error('no PNG')) : resolve(b)), 'image/png')
      )
      transfer.items.add(new File([blob], 'image.png', { type: 'image/png' }))
    }
    const composer = document.querySelector('[data-testid="composer"]') as HTMLElement
    composer.dispatchEvent(
      new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true })
    )
  }, sizes)
}

/** The pixel size of a loaded <img>, once it has loaded. */
function loadedSize(page: Page, selector: string) {
  return page.locator(selector).evaluate(
    (img: HTMLImageElement) =>
      new Promise<[number, number]>((resolve, reject) => {
        const done = (): void => resolve([img.naturalWidth, img.naturalHeight])
        if (img.complete && img.naturalWidth > 0) return done()
        img.addEventListener('load', done, { once: true })
        img.addEventListener('error', () => reject(new Error('the image did not load')), {
          once: true
        })
      })
  )
}

/** The file route: the page's signed link works from outside it too; any other link does not. */
async function checkFileRoute(
  t: Test,
  page: Page,
  pageUrl: string,
  id: string | null
): Promise<string> {
  const src = await page
    .locator(`[data-id="${id}"] [data-testid="file-image-full"]`)
    .getAttribute('src')
  const origin = new URL(pageUrl).origin
  const ok = await fetch(origin + src)
  t.is(ok.status, 200, 'the signed link answers')
  t.is(ok.headers.get('content-type'), 'image/png', 'as the image it is')
  t.ok(ok.headers.get('content-disposition')?.startsWith('attachment;'), 'never as a page')
  await ok.arrayBuffer()
  const forged = (src ?? '').replace(
    /sig=([0-9a-f])/,
    (_m, c: string) => `sig=${c === '0' ? '1' : '0'}`
  )
  t.is((await fetch(origin + forged)).status, 403, 'a wrong signature is refused')
  const other = (src ?? '').replace(/\.(\d+)\?/, (_m, n: string) => `.${Number(n) + 1}?`)
  t.is((await fetch(origin + other)).status, 403, 'a signature opens only its own file')
  const bare = (src ?? '').replace(/\?.*$/, '')
  t.is((await fetch(origin + bare)).status, 403, 'no signature, no file')
  return decodeURIComponent((src ?? '').split('/')[2] ?? '')
}

test(
  'files in a real browser: a pasted image arrives with its preview, an attached file downloads',
  { timeout: 240_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const bootstrap = bootstrapOf(testnet)
    const dirs = await tempDir(t)
    const bobDownloads = path.join(dirs, 'bob-downloads')
    await fs.mkdir(bobDownloads)
    const alice = await serveWeb(t, path.join(dirs, 'alice'), bootstrap, {
      XDG_DOWNLOAD_DIR: path.join(dirs, 'alice-downloads')
    })
    const bob = await serveWeb(t, path.join(dirs, 'bob'), bootstrap, {
      XDG_DOWNLOAD_DIR: bobDownloads
    })
    const browser = await launchChromium(t)
    const viewport = { width: 1200, height: 900 }
    const pageA = await (await browser.newContext({ viewport })).newPage()
    const pageB = await (await browser.newContext({ viewport, acceptDownloads: true })).newPage()
    const pageErrors: string[] = []
    for (const page of [pageA, pageB]) page.on('pageerror', (err) => pageErrors.push(err.message))

    await pageA.goto(alice.url)
    await onboard(pageA, 'Alice')
    await createRoom(pageA, 'files')
    const code = await inviteCode(pageA)
    await pageB.goto(bob.url)
    await onboard(pageB, 'Bob')
    await join(pageB, code, 'files')
    await send(pageB, 'ready for files')
    await message(pageA, 'ready for files').waitFor()
    t.pass('alice and bob share a room')

    // two screenshots pasted: into the tray with their previews, sent with one caption
    await pasteImages(pageA, [
      [640, 400],
      [300, 480]
    ])
    const tray = pageA.getByTestId('attachment')
    await tray.nth(1).waitFor()
    await tray.nth(0).locator('img').waitFor()
    await tray.nth(1).locator('img').waitFor()
    t.is(await tray.count(), 2, 'both pasted images wait in the tray, with previews')
    await pageA.getByTestId('composer').fill('two screenshots')
    await pageA.getByTestId('composer').press('Enter')
    await tray.first().waitFor({ state: 'detached' })

    const mine = message(pageA, 'two screenshots')
    await mine.locator('[data-testid="file-image"][data-full="true"]').waitFor()
    t.alike(
      await loadedSize(
        pageA,
        `[data-id="${await mine.getAttribute('data-id')}"] [data-testid="file-image-full"]`
      ),
      [300, 480],
      'Alice sees the image she sent full size'
    )

    const second = message(pageB, 'two screenshots')
    await second.getByTestId('file-thumbnail').waitFor()
    const thumb = second.getByTestId('file-thumbnail')
    t.ok((await thumb.getAttribute('src'))?.startsWith('data:image/'), 'the preview is a data URL')
    const [tw, th] = await loadedSize(
      pageB,
      `[data-id="${await second.getAttribute('data-id')}"] [data-testid="file-thumbnail"]`
    )
    t.ok(tw > 0 && tw <= 320 && th > 0 && th <= 320, `the preview rendered at Bob's (${tw}×${th})`)
    await second.locator('[data-testid="file-image"][data-full="true"]').waitFor()
    const full = await loadedSize(
      pageB,
      `[data-id="${await second.getAttribute('data-id')}"] [data-testid="file-image-full"]`
    )
    t.alike(full, [300, 480], 'the full image downloaded by itself and shows at its size')
    const roomId = await checkFileRoute(t, pageB, bob.url, await second.getAttribute('data-id'))
    const images = pageB.getByTestId('file-image')
    t.is(await images.count(), 2, 'both images are in Bob’s timeline')

    // the viewer: the first image, → to the second, Esc closes
    await images.first().locator('button').click()
    const viewer = pageB.getByTestId('image-viewer-image')
    await viewer.waitFor()
    await pageB.locator('[data-testid="image-viewer-image"][data-full="true"]').waitFor()
    t.alike(
      await loadedSize(pageB, '[data-testid="image-viewer-image"]'),
      [640, 400],
      'the viewer shows the first image full size'
    )
    await pageB.keyboard.press('ArrowRight')
    await pageB.getByTestId('image-viewer').filter({ hasText: '2 of 2' }).waitFor()
    t.alike(
      await loadedSize(pageB, '[data-testid="image-viewer-image"]'),
      [300, 480],
      '→ shows the next image'
    )
    await pageB.keyboard.press('Escape')
    await pageB.getByTestId('image-viewer').waitFor({ state: 'detached' })
    t.pass('Esc closes the viewer')

    // a file dropped onto the room waits in the tray, and can be taken out again
    const dropped = await pageA.evaluateHandle(() => {
      const transfer = new DataTransfer()
      transfer.items.add(new File(['dropped'], 'dropped.txt', { type: 'text/plain' }))
      return transfer
    })
    await pageA.dispatchEvent('main.room', 'dragover', { dataTransfer: dropped })
    await pageA.locator('main.room.dragging').waitFor()
    await pageA.dispatchEvent('main.room', 'drop', { dataTransfer: dropped })
    await pageA.getByTestId('attachment').filter({ hasText: 'dropped.txt' }).waitFor()
    t.absent(await pageA.locator('main.room.dragging').count(), 'the drop hint goes away')
    await pageA.getByTestId('attachment-remove').click()
    await pageA.getByTestId('attachment-tray').waitFor({ state: 'detached' })
    t.pass('a dropped file joins the tray and leaves it with its ×')

    // a file attached with the file input, downloaded by Bob into his browser
    const bytes = crypto.randomBytes(1300 * 1024)
    await pageA.getByTestId('composer-file-input').setInputFiles({
      name: 'report.bin',
      mimeType: 'application/octet-stream',
      buffer: bytes
    })
    await pageA.getByTestId('attachment').waitFor()
    await pageA.getByTestId('composer').fill('the report')
    // the tray shows the file while it goes out (it is there from before the first chunk)
    const progressSeen = pageA.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const observer = new MutationObserver(() => {
            const row = document.querySelector('[data-testid="file-sending"]')
            if (row === null) return
            observer.disconnect()
            resolve(row.textContent ?? '')
          })
          observer.observe(document.body, { childList: true, subtree: true })
        })
    )
    await pageA.getByTestId('composer').press('Enter')
    const progress = await progressSeen
    t.ok(/report\.bin/.test(progress) && /\d+%/.test(progress), `sending shows: ${progress}`)
    const card = message(pageB, 'the report').getByTestId('file-card')
    await card.waitFor()
    t.is((await card.getByTestId('file-name').textContent())?.trim(), 'report.bin', 'its name')
    t.is((await card.getByTestId('file-size').textContent())?.trim(), '1.3 MiB', 'its size')
    await shot(pageB, 'files-01-image-and-card')

    const saved = pageB.waitForEvent('download')
    await card.getByTestId('file-download').click()
    const download = await saved
    t.is(download.suggestedFilename(), 'report.bin', 'the browser saves it under its name')
    const received = await fs.readFile(await download.path())
    t.ok(received.equals(bytes), 'the bytes the browser got are the bytes Alice attached')
    const onDisk = await fs.readFile(path.join(bobDownloads, 'report.bin'))
    t.ok(onDisk.equals(bytes), 'and Bob’s core saved the same bytes in his downloads folder')
    await message(pageB, 'the report')
      .locator('[data-testid="file-card"][data-state="done"]')
      .waitFor()
    t.ok(await card.getByTestId('file-save').isVisible(), 'the card offers to save it again')
    await shot(pageB, 'files-02-downloaded')

    // a big file can be stopped while it goes out: nothing of it reaches Bob
    await pageA.getByTestId('composer-file-input').setInputFiles({
      name: 'big.bin',
      mimeType: 'application/octet-stream',
      buffer: crypto.randomBytes(40 * 1024 * 1024)
    })
    await pageA.getByTestId('attachment').waitFor()
    await pageA.getByTestId('composer').press('Enter')
    await pageA.getByTestId('file-sending').filter({ hasText: 'big.bin' }).waitFor()
    await pageA.getByTestId('file-sending-cancel').click()
    await pageA.getByTestId('attachment-tray').waitFor({ state: 'detached' })
    t.pass('Stop takes the file out of the tray')
    await send(pageA, 'after the stop')
    await message(pageB, 'after the stop').waitFor()
    t.is(
      await pageB.getByTestId('file-name').filter({ hasText: 'big.bin' }).count(),
      0,
      'the stopped file never reached Bob'
    )
    t.is(await pageA.locator('.toast').count(), 0, 'and a stop is no error')

    // with its sender offline (and no blind peer), a download waits, and can be cancelled
    await pageA.getByTestId('composer-file-input').setInputFiles({
      name: 'later.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('for later\n')
    })
    await pageA.getByTestId('composer').fill('read this later')
    await pageA.getByTestId('composer').press('Enter')
    const later = message(pageB, 'read this later').getByTestId('file-card')
    await later.getByTestId('file-download').waitFor()
    await shot(pageA, 'files-04-sender')
    t.is(await alice.proc.stop('SIGTERM'), 0, 'alice’s core stops')
    await pageB.getByTestId('connection-state').and(pageB.locator('[data-peers="0"]')).waitFor()
    await later.getByTestId('file-download').click()
    await message(pageB, 'read this later').locator('[data-state="waiting"]').waitFor()
    t.ok(
      (await later.getByTestId('file-status').textContent())?.includes(
        'Waiting for a member or the blind peer'
      ),
      'the card says what it waits for'
    )
    await shot(pageB, 'files-03-waiting')
    await later.getByTestId('file-cancel').click()
    await message(pageB, 'read this later').locator('[data-state="cancelled"]').waitFor()
    t.is((await later.getByTestId('file-download').textContent())?.trim(), 'Resume', 'cancelled')
    await pageB.setViewportSize({ width: 420, height: 800 })
    await later.waitFor()
    await shot(pageB, 'files-05-narrow')
    const laterId = (await message(pageB, 'read this later').getAttribute('data-id')) ?? ''
    const token = new URL(bob.url).searchParams.get('token') ?? ''
    const signed = `${FILE_ROUTE_PREFIX}${roomId}/${laterId}?sig=${fileSignature(token, roomId, laterId)}`
    t.is(
      (await fetch(new URL(bob.url).origin + signed)).status,
      404,
      'a file not downloaded here is not served, however signed'
    )

    t.alike(pageErrors, [], 'no page errors')
  }
)
