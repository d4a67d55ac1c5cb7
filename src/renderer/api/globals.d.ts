import type { AppBridge } from '../../shared/app-bridge.js'

declare global {
  interface Window {
    /** Present only inside the Electron app (exposed by the preload). */
    roostApp?: AppBridge
  }
}

export {}
