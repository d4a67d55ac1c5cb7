import crypto from 'crypto'
import fs from 'fs/promises'
import http from 'http'
import path from 'path'
import { WebSocketServer, type WebSocket } from 'ws'
import type { RoostApi } from '../../shared/api/contract.js'
import { SERVE_INFO_PATH, type ServeInfo } from '../../shared/api/serve-info.js'
import { MAX_FRAME_BYTES } from '../../shared/rpc/frames.js'
import { serveApi } from '../../shared/rpc/serve-api.js'
import type { Transport } from '../../shared/rpc/transport.js'
import { FILE_ROUTE_PREFIX } from '../../shared/api/file-route.js'
import { serveFile } from './file-route.js'
import { fromLocalPage } from './local-origin.js'

export interface WebServerOptions {
  /** Directory of the renderer build (index.html and assets); null serves the API only. */
  staticDir: string | null
  port: number
  host?: string
  /** The API token; a random one per start when omitted (`roost serve` keeps one per data dir). */
  token?: string
  /** The command that starts this core again, shown by the page once the core is gone. */
  serveCommand?: string
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2'
}

/** The same CSP as the Electron window: our own scripts only; the API socket on this host. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

/** One WebSocket connection as an RPC transport. */
export class WebSocketTransport implements Transport {
  private _socket: WebSocket

  constructor(socket: WebSocket) {
    this._socket = socket
    // an oversized or broken frame errors the socket: end that client, never the core
    socket.on('error', () => socket.terminate())
  }
  send(frame: string): void {
    if (this._socket.readyState === this._socket.OPEN) this._socket.send(frame)
  }
  onMessage(listener: (frame: string) => void): void {
    this._socket.on('message', (data, isBinary) => {
      if (!isBinary) listener(data.toString())
    })
  }
  onClose(listener: () => void): void {
    this._socket.on('close', listener)
  }
  close(): void {
    this._socket.close()
  }
}

/** The page sends its token as a WebSocket subprotocol, so no URL a browser logs carries it. */
const TOKEN_PROTOCOL_PREFIX = 'roost-token.'

function tokenProtocol(req: http.IncomingMessage): string | null {
  const header = req.headers['sec-websocket-protocol']
  if (typeof header !== 'string') return null
  const found = header
    .split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX))
  return found === undefined ? null : found.slice(TOKEN_PROTOCOL_PREFIX.length)
}

/**
 * Serves the renderer build, its ServeInfo, RoostApi over WebSocket and the files this core has
 * downloaded (file-route.ts, by a per-file signature) on 127.0.0.1. API connections without the
 * token are refused before the upgrade. Every request and upgrade must
 * name this host (Host 127.0.0.1 or localhost with this port) and come from no page
 * or this server's own (Origin), or it gets 403.
 */
export class WebServer {
  readonly token: string
  readonly options: WebServerOptions
  private _http: http.Server
  private _wss: WebSocketServer

  constructor(api: RoostApi, options: WebServerOptions) {
    this.token = options.token ?? crypto.randomBytes(24).toString('hex')
    this.options = options
    this._wss = new WebSocketServer({
      noServer: true,
      maxPayload: MAX_FRAME_BYTES,
      // answer with the plain protocol, never echo the token one
      handleProtocols: (protocols) => (protocols.has('roost') ? 'roost' : false)
    })
    this._wss.on('connection', (socket) => serveApi(api, new WebSocketTransport(socket)))
    this._http = http.createServer((req, res) => {
      if (!fromLocalPage(req, this.port)) {
        res.writeHead(403).end()
        return
      }
      const url = new URL(req.url ?? '/', 'http://localhost')
      const served =
        req.method === 'GET' && url.pathname.startsWith(FILE_ROUTE_PREFIX)
          ? serveFile(api, this.token, url, res)
          : this._serveStatic(req, res)
      served.catch(() => {
        if (!res.headersSent) res.writeHead(500).end()
        else res.destroy()
      })
    })
    this._http.on('upgrade', (req, socket, head) => {
      if (!fromLocalPage(req, this.port)) {
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n')
        return
      }
      const url = new URL(req.url ?? '/', 'http://localhost')
      const given = Buffer.from(url.searchParams.get('token') ?? tokenProtocol(req) ?? '')
      const expected = Buffer.from(this.token)
      const valid = given.length === expected.length && crypto.timingSafeEqual(given, expected)
      if (url.pathname !== '/api' || !valid) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n')
        return
      }
      this._wss.handleUpgrade(req, socket, head, (ws) => this._wss.emit('connection', ws, req))
    })
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this._http.once('error', reject)
      this._http.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve())
    })
  }

  get port(): number {
    const address = this._http.address()
    return typeof address === 'object' && address !== null ? address.port : this.options.port
  }

  /** The URL a browser opens: the token travels in the query, the page passes it to the API. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/?token=${this.token}`
  }

  async close(): Promise<void> {
    for (const client of this._wss.clients) client.terminate()
    await new Promise<void>((resolve) => this._wss.close(() => resolve()))
    await new Promise<void>((resolve) => this._http.close(() => resolve()))
  }

  private async _serveStatic(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const dir = this.options.staticDir
    if (dir === null || req.method !== 'GET') {
      res.writeHead(404).end()
      return
    }
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname)
    if (pathname === SERVE_INFO_PATH) {
      const info: ServeInfo = { command: this.options.serveCommand ?? null }
      res.writeHead(200, {
        'content-type': TYPES['.json'],
        'x-content-type-options': 'nosniff',
        'cache-control': 'no-store'
      })
      res.end(JSON.stringify(info))
      return
    }
    const file = path.join(dir, pathname === '/' ? 'index.html' : pathname)
    if (!file.startsWith(path.resolve(dir) + path.sep)) {
      res.writeHead(403).end()
      return
    }
    let body: Buffer
    try {
      body = await fs.readFile(file)
    } catch {
      body = await fs.readFile(path.join(dir, 'index.html')) // client-side routes
    }
    res.writeHead(200, {
      'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
      'cache-control': 'no-store'
    })
    res.end(body)
  }
}
