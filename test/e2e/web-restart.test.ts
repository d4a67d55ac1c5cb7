import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import { bootstrapOf, createLoopbackTestnet, tempDir } from '../helpers/index.js'
import { createRoom, launchChromium, onboard, roomItem, shot } from '../helpers/browser-app.js'
import { serveWeb } from '../helpers/web.js'

const tokenOf = (url: string): string => new URL(url).searchParams.get('token') ?? ''

test(
  'web restart: a reload keeps working across restarts of one data dir; a new token says to open the new link; no token in any console or log',
  { timeout: 120_000 },
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const bootstrap = bootstrapOf(testnet)
    const dataDir = path.join(await tempDir(t), 'bob')
    let core = await serveWeb(t, dataDir, bootstrap)
    const port = Number(new URL(core.url).port)
    const logs = [core.proc]
    const browser = await launchChromium(t)
    const page = await (await browser.newContext()).newPage()
    const consoleLines: string[] = []
    page.on('console', (line) => consoleLines.push(line.text()))
    await page.goto(core.url)
    await onboard(page, 'Bob')
    await createRoom(page, 'general')

    const info = (await page.evaluate(() =>
      fetch('/serve.json').then((r) => r.json() as Promise<unknown>)
    )) as { command: string }
    const command = `roost --data ${dataDir} serve --web --port ${port}`
    t.is(info.command, command, '/serve.json names the --data and --port in use')
    t.absent(JSON.stringify(info).includes(tokenOf(core.url)), 'and not the token')

    // ---- the core stops: the page names the command that starts this one again ----
    t.is(await core.proc.stop('SIGTERM'), 0, 'the core stops')
    const error = page.getByTestId('error')
    await error.filter({ hasText: 'Roost is not running' }).waitFor()
    t.is(await error.locator('code').textContent(), command, 'its hint is that command')
    await shot(page, 'restart-01-not-running')

    // ---- the same data dir again: same token, so "Try again" (a reload) just works ----
    core = await serveWeb(t, dataDir, bootstrap, {}, port)
    logs.push(core.proc)
    const firstToken = tokenOf(logs[0].stdout.match(/^web (\S+)/m)?.[1] ?? '')
    t.is(tokenOf(core.url), firstToken, 'the restarted core keeps its web token')
    await error.getByRole('button', { name: 'Try again' }).click()
    await roomItem(page, 'general').waitFor()
    t.pass('"Try again" reconnects the old tab')
    await page.reload()
    await roomItem(page, 'general').waitFor()
    t.pass('and so does a reload')

    // ---- a new token (its file removed): the old tab says so ----
    t.is(await core.proc.stop('SIGTERM'), 0, 'the core stops again')
    await error.filter({ hasText: 'Roost is not running' }).waitFor()
    await fs.rm(path.join(dataDir, 'web-token'))
    core = await serveWeb(t, dataDir, bootstrap, {}, port)
    logs.push(core.proc)
    t.not(tokenOf(core.url), firstToken, 'without its token file the core makes a new token')
    await error.getByRole('button', { name: 'Try again' }).click()
    await error.filter({ hasText: 'This page is from an earlier start' }).waitFor()
    t.ok(
      ((await error.textContent()) ?? '').includes('Open the new link `roost serve` printed'),
      'with the core running on a new token, "Try again" says to open its new link'
    )
    t.is(await error.locator('code').count(), 0, 'and offers no command to start it')
    await shot(page, 'restart-02-earlier-start')
    await page.goto(core.url)
    await roomItem(page, 'general').waitFor()
    t.pass('the new link works')

    const tokens = [firstToken, tokenOf(core.url)]
    t.ok(
      tokens.every((token) => /^[0-9a-f]{48}$/.test(token)),
      'both tokens were read'
    )
    t.absent(
      consoleLines.some((line) => tokens.some((token) => line.includes(token))),
      `no token in the page console (${consoleLines.length} lines)`
    )
    t.absent(
      logs.some((proc) => tokens.some((token) => proc.stderr.includes(token))),
      'nor in the core’s log'
    )
  }
)
