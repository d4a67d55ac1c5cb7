import { BrowserWindow, type WebContents } from 'electron'
import { APP_INDEX_URL, isAppUrl } from './app-origin.js'

/** The one app window: isolated, sandboxed, no Node; the preload exposes the transport only. */
export function createMainWindow(preload: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 640,
    minHeight: 480,
    show: false,
    title: 'Roost',
    autoHideMenuBar: true,
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false
    }
  })
  window.once('ready-to-show', () => window.show())
  void window.loadURL(APP_INDEX_URL)
  return window
}

/**
 * For every web contents: no new windows, no navigation away from the app, no webviews.
 * A link the page tries to open or navigate to goes to `openLink` instead.
 */
export function lockDown(contents: WebContents, openLink: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    openLink(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return
    event.preventDefault()
    openLink(event.url)
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}
