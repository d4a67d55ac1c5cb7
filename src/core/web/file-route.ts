import crypto from 'crypto'
import fs from 'fs'
import type http from 'http'
import type { RoostApi } from '../../shared/api/contract.js'
import { fileHeaders, fileRouteText, parseFileRoute } from '../../shared/api/file-route.js'
import { savedFile } from '../files/saved-file.js'

/** The signature a link to this file carries (see src/shared/api/file-route.ts). */
export function fileSignature(token: string, room: string, message: string): string {
  return crypto.createHmac('sha256', token).update(fileRouteText(room, message)).digest('hex')
}

/**
 * Streams a file this core has downloaded (and checked) to the page: 403 without the right
 * signature, 404 for a message that is not a file saved here (headers: fileHeaders).
 */
export async function serveFile(
  api: RoostApi,
  token: string,
  url: URL,
  res: http.ServerResponse
): Promise<void> {
  const ids = parseFileRoute(url.pathname)
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
  const saved = await savedFile(api, ids.room, ids.message)
  if (saved === null) {
    res.writeHead(404).end()
    return
  }
  const stream = fs.createReadStream(saved.path)
  stream.once('open', () => {
    res.writeHead(200, fileHeaders(saved.file, saved.size))
    stream.pipe(res)
  })
  stream.once('error', () => {
    if (!res.headersSent) res.writeHead(404).end()
    else res.destroy()
  })
  res.once('close', () => stream.destroy())
}
