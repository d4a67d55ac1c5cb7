import fs from 'fs/promises'
import { pathToFileURL } from 'url'
import { net, protocol, type Session } from 'electron'
import { FILE_ROUTE_PREFIX } from '../shared/api/file-route.js'
import { APP_INDEX_URL, APP_SCHEME, CSP, assetPath, isAppUrl } from './app-origin.js'

/** Answers app://roost/files/… (saved-files.ts): a pathname in, the saved file or 404 out. */
export type FileRoute = (pathname: string) => Promise<Response>

/** What a page of ours may ask for: desktop notifications and copying (invite links). */
const ALLOWED_PERMISSIONS = new Set(['notifications', 'clipboard-sanitized-write'])

/**
 * Before app `ready`: app:// is a standard, secure origin, so relative URLs, Vite's same-origin
 * `<script type="module" crossorigin>`, storage and notifications work. Not corsEnabled: no
 * other origin may read it.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true }
    }
  ])
}

/**
 * After `ready`: serves the renderer build at app://roost/ and the core's saved files under
 * /files/, and locks the session down — the CSP rides on every response, and pages get no
 * permission beyond ALLOWED_PERMISSIONS.
 */
export function serveRenderer(session: Session, rendererDir: string, files: FileRoute): void {
  session.protocol.handle(APP_SCHEME, (request) => {
    const pathname = isAppUrl(request.url) ? new URL(request.url).pathname : ''
    return pathname.startsWith(FILE_ROUTE_PREFIX)
      ? files(pathname)
      : respond(rendererDir, request.url)
  })
  // respond() sets the CSP on app:// itself (webRequest's header events are not promised for
  // custom schemes); this puts it on anything else the session ever loads as well
  session.webRequest.onHeadersReceived((details, callback) => {
    const headers: Record<string, string[]> = {}
    for (const [name, value] of Object.entries(details.responseHeaders ?? {})) {
      if (name.toLowerCase() !== 'content-security-policy') headers[name] = value
    }
    headers['Content-Security-Policy'] = [CSP]
    callback({ responseHeaders: headers })
  })
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(ALLOWED_PERMISSIONS.has(permission) && isAppUrl(details.requestingUrl))
  })
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingOrigin)
  })
}

async function respond(rendererDir: string, url: string): Promise<Response> {
  const file = assetPath(rendererDir, url)
  if (file === null) return new Response('Not found', { status: 404 })
  // unknown paths are client-side routes, as in `roost serve --web`
  const target = (await isFile(file)) ? file : assetPath(rendererDir, APP_INDEX_URL)
  if (target === null || !(await isFile(target))) {
    return new Response('The renderer is not built: run `npm run build`', { status: 404 })
  }
  const response = await net.fetch(pathToFileURL(target).toString())
  const headers = new Headers(response.headers)
  headers.set('content-security-policy', CSP)
  headers.set('x-content-type-options', 'nosniff')
  return new Response(response.body, { status: response.status, headers })
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile()
  } catch {
    return false
  }
}
