/**
 * The web server's route for a file this device has downloaded, so a browser page can show or
 * save it: `GET /files/<room>/<message id>?sig=<hex>`. The signature is HMAC-SHA256, keyed with
 * the API token, of `fileRouteText(room, message)`: a link opens that one file and leaks no token.
 */
export const FILE_ROUTE_PREFIX = '/files/'

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
