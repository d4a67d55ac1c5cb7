import crypto from 'crypto'
import fs from 'fs'
import type http from 'http'
import type { FileTransfer, RoostApi } from '../../shared/api/contract.js'
import {
  FILE_ROUTE_PREFIX,
  INLINE_IMAGE_TYPES,
  fileRouteText
} from '../../shared/api/file-route.js'

/** A downloaded file is never a page: no script, no frame, no sniffing. */
const FILE_CSP = "default-src 'none'; sandbox"

/** The signature a link to this file carries (see src/shared/api/file-route.ts). */
export function fileSignature(token: string, room: string, message: string): string {
  return crypto.createHmac('sha256', token).update(fileRouteText(room, message)).digest('hex')
}

/** `attachment` with an ASCII fallback name and the exact one as RFC 5987 UTF-8. */
function disposition(name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._ ()-]/g, '_') || 'file'
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** `/files/<room>/<message>` → its two parts, or null for any other path. */
function parsePath(pathname: string): { room: string; message: string } | null {
  if (!pathname.startsWith(FILE_ROUTE_PREFIX)) return null
  const parts = pathname.slice(FILE_ROUTE_PREFIX.length).split('/')
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return null
  try {
    return { room: decodeURIComponent(parts[0]), message: decodeURIComponent(parts[1]) }
  } catch {
    return null
  }
}

/**
 * Streams a file this core has downloaded (and checked) to the page: 403 without the right
 * signature, 404 for a message that is not a file saved here. Whatever its type, the browser is
 * told to save it; only the inline image types keep their type, so an <img> can show them.
 */
export async function serveFile(
  api: RoostApi,
  token: string,
  url: URL,
  res: http.ServerResponse
): Promise<void> {
  const ids = parsePath(url.pathname)
  if (ids === null) {
    res.writeHead(404).end()
    return
  }
  const given = Buffer.from(url.searchParams.get('sig') ?? '')
  const expected = Buffer.from(fileSignature(token, ids.room, ids.message))
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
    res.writeHead(403).end()
    return
  }
  let transfer: FileTransfer
  try {
    transfer = await api.fileTransfer(ids.room, ids.message)
  } catch {
    res.writeHead(404).end()
    return
  }
  if (transfer.state !== 'done' || transfer.path === null) {
    res.writeHead(404).end()
    return
  }
  const size = await fs.promises.stat(transfer.path).then(
    (stat) => (stat.isFile() ? stat.size : null),
    () => null
  )
  if (size === null) {
    res.writeHead(404).end()
    return
  }
  const stream = fs.createReadStream(transfer.path)
  stream.once('open', () => {
    const type = INLINE_IMAGE_TYPES.includes(transfer.file.type)
      ? transfer.file.type
      : 'application/octet-stream'
    res.writeHead(200, {
      'content-type': type,
      'content-length': size,
      'content-disposition': disposition(transfer.file.name),
      'content-security-policy': FILE_CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store'
    })
    stream.pipe(res)
  })
  stream.once('error', () => {
    if (!res.headersSent) res.writeHead(404).end()
    else res.destroy()
  })
  res.once('close', () => stream.destroy())
}
