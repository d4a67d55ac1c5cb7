/**
 * Electron main: lifecycle, the window, OS integration (single instance, roost:// links,
 * badge, opening saved files) and the core host process. Everything that is not wiring lives in its own module.
 */
import path from 'path'
import { fileURLToPath } from 'url'
import { app, ipcMain, session, shell, type BrowserWindow, type IpcMainEvent } from 'electron'
import { isAppUrl, isWebLink } from './app-origin.js'
import { registerAppScheme, serveRenderer } from './app-protocol.js'
import { CoreProcess } from './core-process.js'
import { findDeepLink, parseDeepLink } from './deep-link.js'
import { IPC } from './ipc.js'
import { hostArgv, parseHostOptions } from './options.js'
import { fileResponse, openSavedFile } from './saved-files.js'
import { createMainWindow, lockDown } from './window.js'

const APP_ID = 'org.roost.app'
const here = path.dirname(fileURLToPath(import.meta.url)) // dist/src/main
const PRELOAD = path.join(here, '..', '..', 'preload', 'preload', 'preload.js')
const RENDERER_DIR = path.join(here, '..', '..', 'renderer')
const CORE_HOST = path.join(here, 'core-host.js')
const SHUTDOWN_TIMEOUT_MS = 10_000
/** A core that dies sooner than this after starting is not restarted: it would only loop. */
const MIN_UPTIME_FOR_RESTART_MS = 60_000

const options = parseHostOptions(process.argv.slice(1))
// Chromium's state lives in the data dir, which makes the single-instance lock per data dir:
// `--data OTHER` starts a second, independent app (two profiles side by side)
app.setPath('userData', path.join(options.dataDir, 'electron'))
registerAppScheme()

const core = new CoreProcess(CORE_HOST, hostArgv(options), onCoreCrash)
/** Invite links that arrived before the page could take them. */
const pendingLinks: string[] = []
let mainWindow: BrowserWindow | null = null
let pageLoaded = false
let quitting: 'no' | 'closing' | 'done' = 'no'

if (!app.requestSingleInstanceLock()) {
  app.quit() // the running instance gets our argv in 'second-instance'
} else {
  const link = findDeepLink(process.argv)
  if (link !== null) pendingLinks.push(link)
  if (process.platform === 'win32') app.setAppUserModelId(APP_ID) // notifications
  // in development, pass links as arguments instead of claiming roost:// for the dev Electron
  if (app.isPackaged) app.setAsDefaultProtocolClient('roost')
  app.on('open-url', (event, url) => {
    event.preventDefault()
    openLink(url)
  })
  app.on('second-instance', (_event, argv) => {
    const secondLink = findDeepLink(argv)
    if (secondLink !== null) openLink(secondLink)
    showWindow()
  })
  app.on('web-contents-created', (_event, contents) => lockDown(contents, openLink))
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', showWindow)
  app.on('before-quit', onBeforeQuit)
  ipcMain.on(IPC.badge, onBadge)
  ipcMain.handle(IPC.file, (event, room: unknown, message: unknown, how: unknown) =>
    isAppUrl(event.senderFrame?.url) ? openSavedFile(core, room, message, how) : 'failed'
  )
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit())
  app.whenReady().then(onReady).catch(fatal)
}

function onReady(): void {
  serveRenderer(session.defaultSession, RENDERER_DIR, (pathname) => fileResponse(core, pathname))
  core.start()
  showWindow()
}

function showWindow(): void {
  if (!app.isReady() || quitting !== 'no') return
  if (mainWindow === null) {
    mainWindow = openWindow()
    return
  }
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

function openWindow(): BrowserWindow {
  const window = createMainWindow(PRELOAD)
  pageLoaded = false
  window.webContents.on('did-start-loading', () => {
    pageLoaded = false
  })
  // every load (first, reload, after a crash) has a new preload: give it a new port
  window.webContents.on('did-finish-load', () => {
    pageLoaded = true
    core.connect(window.webContents)
    for (const link of pendingLinks.splice(0)) window.webContents.send(IPC.deepLink, link)
  })
  window.on('closed', () => {
    mainWindow = null
    pageLoaded = false
  })
  return window
}

/** A link from the OS or the page: invites go to the page, http(s) links to the browser. */
function openLink(url: string): void {
  const invite = parseDeepLink(url)
  if (invite !== null) {
    if (mainWindow !== null && pageLoaded) mainWindow.webContents.send(IPC.deepLink, invite)
    else pendingLinks.push(invite)
    showWindow()
  } else if (isWebLink(url)) {
    shell.openExternal(url).catch(() => {})
  }
}

function onBadge(event: IpcMainEvent, count: unknown): void {
  if (!isAppUrl(event.senderFrame?.url)) return
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) return
  app.setBadgeCount(count)
}

/** Quitting waits for the core to close (bounded), then exits. */
function onBeforeQuit(event: Electron.Event): void {
  if (quitting === 'done') return
  event.preventDefault()
  if (quitting === 'closing') return
  quitting = 'closing'
  mainWindow?.hide()
  const exit = (): void => {
    quitting = 'done'
    app.exit(0)
  }
  core.stop(SHUTDOWN_TIMEOUT_MS).then(exit, exit)
}

function onCoreCrash(code: number): void {
  process.stderr.write(`roost: the core process exited (code ${code})\n`)
  if (quitting !== 'no' || code === 0) return
  if (Date.now() - core.startedAt < MIN_UPTIME_FOR_RESTART_MS) return // the page shows it lost the core
  core.start()
  mainWindow?.webContents.reload() // the new page gets a port to the new core
}

function fatal(err: unknown): void {
  process.stderr.write(
    `roost: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`
  )
  app.exit(1)
}
