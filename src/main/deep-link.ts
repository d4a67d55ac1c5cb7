import { INVITE_LINK_PREFIX } from '../shared/api/contract.js'

/** z32 alphabet; the core checks the invite itself when the renderer joins with it. */
const Z32 = /^[ybndrfg8ejkmcpqxot1uwisza345h769]+$/
const MAX_LINK_CHARS = 2048

/** `roost://invite/<z32>` as the renderer gets it, or null for anything else. */
export function parseDeepLink(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > MAX_LINK_CHARS) return null
  if (!url.startsWith(INVITE_LINK_PREFIX)) return null
  // some launchers append a slash to custom-scheme URLs
  const code = url.slice(INVITE_LINK_PREFIX.length).replace(/\/$/, '')
  return Z32.test(code) ? INVITE_LINK_PREFIX + code : null
}

/** The invite link in a command line (Windows and Linux hand links to the app as argv). */
export function findDeepLink(argv: string[]): string | null {
  for (const arg of argv) {
    const link = parseDeepLink(arg)
    if (link !== null) return link
  }
  return null
}
