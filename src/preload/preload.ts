/**
 * The preload exposes the transport to the core and a few OS hooks as `window.roostApp`, nothing
 * else. It runs sandboxed, where only `electron` can be required: keep it this one file, with
 * the AppBridge type as its only other import, compiled to CommonJS by tsconfig.preload.json.
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { APP_BRIDGE_GLOBAL, AppBridge } from '../shared/app-bridge.js'

const GLOBAL: typeof APP_BRIDGE_GLOBAL = 'roostApp'
// the same names as IPC in src/main/ipc.ts (which this file may not import)
const PORT = 'roost:port'
const DEEP_LINK = 'roost:deep-link'
const BADGE = 'roost:badge'
const FILE = 'roost:file'

let port: MessagePort | null = null
const outbox: string[] = []
const messageListeners: Array<(frame: string) => void> = []
const closeListeners: Array<() => void> = []
const links: string[] = []
const linkListeners: Array<(url: string) => void> = []

ipcRenderer.on(PORT, (event) => {
  if (port !== null) return
  port = event.ports[0]
  port.onmessage = (message) => messageListeners.forEach((listener) => listener(message.data))
  port.addEventListener('close', () => closeListeners.forEach((listener) => listener()))
  outbox.splice(0).forEach((frame) => port?.postMessage(frame))
})

ipcRenderer.on(DEEP_LINK, (_event, url: string) => {
  if (linkListeners.length === 0) links.push(url)
  linkListeners.forEach((listener) => listener(url))
})

const bridge: AppBridge = {
  send(frame) {
    if (port === null) outbox.push(frame)
    else port.postMessage(frame)
  },
  onMessage(listener) {
    messageListeners.push(listener)
  },
  onClose(listener) {
    closeListeners.push(listener)
  },
  onDeepLink(listener) {
    linkListeners.push(listener)
    links.splice(0).forEach((url) => listener(url))
  },
  setBadgeCount(count) {
    ipcRenderer.send(BADGE, count)
  },
  openFile(room, message, how) {
    return ipcRenderer.invoke(FILE, room, message, how)
  }
}

contextBridge.exposeInMainWorld(GLOBAL, bridge)
