/**
 * Every channel between Electron main, the preload and the core host, in one place. The preload
 * repeats the IPC names as literals: it may import nothing but `electron` and the
 * AppBridge type (test/boundaries.test.ts), so a rename here must be made there too.
 */
export const IPC = {
  /** main → renderer: the MessagePort to the core, once per page load. */
  port: 'roost:port',
  /** main → renderer: a validated `roost://invite/…` link. */
  deepLink: 'roost:deep-link',
  /** renderer → main: the unread count for the dock/taskbar badge. */
  badge: 'roost:badge',
  /** renderer → main (invoke): open or show a file the core saved (saved-files.ts). */
  file: 'roost:file'
} as const

/** main → core host (utility process). `port` carries one MessagePortMain to serve. */
export type HostMessage = { type: 'port' } | { type: 'shutdown' }
