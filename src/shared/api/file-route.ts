/**
 * The web server's route for a file this device has downloaded, so a browser page can show or
 * save it: `GET /files/<room>/<message id>?sig=<hex>`. The signature is HMAC-SHA256, keyed with
 * the API token, of `fileRouteText(room, message)`: a link opens that one file and leaks no token.
 */
export const FILE_ROUTE_PREFIX = '/files/'

/** A downloaded file is never a page: no script, no frame, no sniffing. */
const FILE_CSP = "default-src 'none'; sandbox"

export function fileRouteText(room: string, message: string): string {
  return `roost-file/v1\n${room}\n${message}`
}

/** The image types a page may show inline (never SVG: it can carry script). */
export const INLINE_IMAGE_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp'
]

/** The room and message a file route's path names (`/files/<room>/<message>`), or null. */
export function parseFileRoute(pathname: string): { room: string; message: string } | null {
  if (!pathname.startsWith(FILE_ROUTE_PREFIX)) return null
  const parts = pathname.slice(FILE_ROUTE_PREFIX.length).split('/')
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return null
  try {
    return { room: decodeURIComponent(parts[0]), message: decodeURIComponent(parts[1]) }
  } catch {
    return null
  }
}

/** The route's link to a file, relative to the page's origin. */
export function fileRoutePath(room: string, message: string): string {
  return `${FILE_ROUTE_PREFIX}${encodeURIComponent(room)}/${encodeURIComponent(message)}`
}

/**
 * The headers a saved file is served with: whatever its type, the browser is told to save it;
 * only the inline image types keep their type, so an <img> can show them.
 */
export function fileHeaders(
  file: { name: string; type: string },
  size: number
): Record<string, string> {
  return {
    'content-type': INLINE_IMAGE_TYPES.includes(file.type) ? file.type : 'application/octet-stream',
    'content-length': String(size),
    'content-disposition': disposition(file.name),
    'content-security-policy': FILE_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'private, no-store'
  }
}

/** `attachment` with an ASCII fallback name and the exact one as RFC 5987 UTF-8. */
function disposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._ ()-]/g, '_') || 'file'
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}
