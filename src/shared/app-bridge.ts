/**
 * What the Electron preload exposes to the renderer as the global `roostApp` (contextBridge).
 * The renderer never gets more than this: an RPC pipe to the core plus a few OS hooks.
 * In a browser (`roost serve --web`) it is absent and the renderer uses a WebSocket instead.
 */
export interface AppBridge {
  /** RPC frames to and from the core (same frames as every transport). */
  send(frame: string): void
  onMessage(listener: (frame: string) => void): void
  onClose(listener: () => void): void
  /** `roost://invite/...` links the OS handed to the app (also the one it was started with). */
  onDeepLink(listener: (url: string) => void): void
  /** Unread badge on the dock/taskbar icon; 0 clears it. */
  setBadgeCount(count: number): void
  /**
   * A file the core saved for a message: opened in its app ('open'), or shown in the file
   * manager ('show'). A file that would run when opened is only ever shown.
   */
  openFile(room: string, message: string, how: 'open' | 'show'): Promise<FileOpenResult>
}

/** 'not-saved': the core has no saved file for that message (any more). */
export type FileOpenResult = 'ok' | 'not-saved' | 'runs-when-opened' | 'failed'

export const APP_BRIDGE_GLOBAL = 'roostApp'
