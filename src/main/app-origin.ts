import path from 'path'

/** The renderer is served from this privileged scheme, never file://, so it has a real origin. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'roost'
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`

/** Our own scripts only; styles may be inline (React style props); no plugins, no framing. */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/** True for app://roost and every URL under it. */
export function isAppUrl(url: unknown): boolean {
  const parsed = parseUrl(url)
  return parsed !== null && parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST
}

/** Links a user may follow out of the app, into the OS browser. */
export function isWebLink(url: unknown): boolean {
  const parsed = parseUrl(url)
  return (
    parsed !== null &&
    (parsed.protocol === 'https:' || parsed.protocol === 'http:') &&
    parsed.hostname !== ''
  )
}

/** The file under `root` that an app:// URL names, or null if it is not ours or escapes root. */
export function assetPath(root: string, url: string): string | null {
  if (!isAppUrl(url)) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(new URL(url).pathname)
  } catch {
    return null
  }
  const base = path.resolve(root)
  const file = path.resolve(base, '.' + (pathname === '/' ? '/index.html' : pathname))
  return file.startsWith(base + path.sep) ? file : null
}

function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string') return null
  try {
    return new URL(url)
  } catch {
    return null
  }
}
