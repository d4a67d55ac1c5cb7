import http from 'http'
import test from 'brittle'
import type { Test } from 'brittle'
import WebSocket from 'ws'
import type { Roost } from '../../src/core/roost.js'
import { WebServer } from '../../src/core/web/web-server.js'
import { RoostError } from '../../src/shared/api/errors.js'
import { MAX_FRAME_BYTES } from '../../src/shared/rpc/frames.js'
import { connectApi } from '../../src/shared/rpc/connect-api.js'
import type { Transport } from '../../src/shared/rpc/transport.js'
import { createPeer, tempDir } from '../helpers/index.js'
import { everyMethodAndEvent } from './scenarios.js'

async function startWebServer(t: Test, core: Roost, staticDir: string | null = null) {
  const server = new WebServer(core, { staticDir, port: 0 })
  await server.listen()
  t.teardown(() => server.close(), { order: -2 })
  return server
}

/** Opens a ws client; resolves with its socket, or rejects with the HTTP status it got. */
function open(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options)
    socket.once('open', () => resolve(socket))
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    socket.once('error', reject)
  })
}

function clientTransport(socket: WebSocket): Transport {
  return {
    send: (frame) => socket.send(frame),
    onMessage: (listener) => socket.on('message', (data) => listener(data.toString())),
    onClose: (listener) => socket.on('close', listener),
    close: () => socket.close()
  }
}

function apiUrl(server: WebServer, token = server.token): string {
  return `ws://127.0.0.1:${server.port}/api?token=${token}`
}

test('rpc: every method and event round-trips over WebSocket', { timeout: 60_000 }, async (t) => {
  await everyMethodAndEvent(t, async (t, core) => {
    const server = await startWebServer(t, core)
    const api = connectApi(clientTransport(await open(apiUrl(server))))
    t.teardown(() => api.close(), { order: -1 })
    return api
  })
})

test(
  'websocket: a missing or wrong token is refused before any frame',
  { timeout: 30_000 },
  async (t) => {
    const core = await createPeer(t, null, { name: 'zed' })
    const server = await startWebServer(t, core)
    await t.exception(open(`ws://127.0.0.1:${server.port}/api`), /HTTP 401/, 'no token')
    await t.exception(open(apiUrl(server, 'f'.repeat(48))), /HTTP 401/, 'wrong token')
    await t.exception(open(`ws://127.0.0.1:${server.port}/other?token=${server.token}`), /HTTP 401/)
    const base = `ws://127.0.0.1:${server.port}/api`
    const viaProtocol = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(base, ['roost', 'roost-token.' + server.token])
      socket.once('open', () => resolve(socket))
      socket.once('error', reject)
    })
    t.is(
      viaProtocol.protocol,
      'roost',
      'the token as a subprotocol opens it; the answer is not the token'
    )
    viaProtocol.close()
    await t.exception(
      new Promise((resolve, reject) => {
        const socket = new WebSocket(base, ['roost', 'roost-token.' + 'f'.repeat(48)])
        socket.once('open', () => resolve(socket))
        socket.once('unexpected-response', (_req, res) =>
          reject(new Error(`HTTP ${res.statusCode}`))
        )
        socket.once('error', reject)
      }),
      /HTTP 401/,
      'a wrong token as a subprotocol'
    )
    const other = new WebServer(core, { staticDir: null, port: 0 })
    t.not(other.token, server.token, 'each start makes a new token')
  }
)

test(
  'websocket: malformed and oversized frames are refused; the core keeps answering',
  { timeout: 30_000 },
  async (t) => {
    const core = await createPeer(t, null, { name: 'zed' })
    const server = await startWebServer(t, core)
    const raw = await open(apiUrl(server))
    const replies: string[] = []
    const twoReplies = new Promise<void>((resolve) =>
      raw.on('message', (data) => {
        replies.push(data.toString())
        if (replies.length === 2) resolve()
      })
    )
    raw.send('garbage')
    raw.send(JSON.stringify({ id: 1, method: 'nope', params: [] }))
    raw.send(JSON.stringify({ id: 2, method: 'rooms', params: {} }))
    await twoReplies
    t.alike(replies.map((r) => JSON.parse(r).error.code).sort(), [
      'RPC_INVALID_FRAME',
      'RPC_UNKNOWN_METHOD'
    ])
    const closed = new Promise<number>((resolve) => raw.once('close', (code) => resolve(code)))
    raw.send('x'.repeat(MAX_FRAME_BYTES + 1))
    t.is(await closed, 1009, 'an oversized frame ends that connection (1009 message too big)')

    const api = connectApi(clientTransport(await open(apiUrl(server))))
    t.teardown(() => api.close(), { order: -1 })
    try {
      await api.room('no-such-room')
      t.fail('should throw')
    } catch (err) {
      t.ok(err instanceof RoostError)
      t.is((err as RoostError).code, 'ROOM_NOT_FOUND', 'error codes survive the WebSocket')
    }
    t.is((await api.profile())?.name, 'zed', 'the core still answers')
  }
)

test(
  'websocket server: serves the renderer build with a CSP, never files outside it',
  { timeout: 30_000 },
  async (t) => {
    const core = await createPeer(t, null, { name: 'zed' })
    const dir = await tempDir(t)
    const fs = await import('fs/promises')
    await fs.writeFile(`${dir}/index.html`, '<!doctype html><title>Roost</title>')
    const server = await startWebServer(t, core, dir)
    const page = await fetch(`http://127.0.0.1:${server.port}/`)
    t.is(page.status, 200)
    t.ok((await page.text()).includes('<title>Roost</title>'))
    t.ok(page.headers.get('content-security-policy')?.includes("script-src 'self'"), 'strict CSP')
    const escape = await fetch(`http://127.0.0.1:${server.port}/..%2f..%2fetc%2fpasswd`)
    t.not(escape.status, 200, 'no path traversal')
  }
)

/** The status of a GET / to the server with the given headers (Host may be forged here). */
function statusOf(server: WebServer, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: server.port, path: '/', headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    req.once('error', reject)
  })
}

test(
  'web server: a foreign Origin or Host gets 403 over HTTP and no WebSocket; its own work',
  { timeout: 30_000 },
  async (t) => {
    const core = await createPeer(t, null, { name: 'zed' })
    const dir = await tempDir(t)
    const fs = await import('fs/promises')
    await fs.writeFile(`${dir}/index.html`, '<!doctype html><title>Roost</title>')
    const server = await startWebServer(t, core, dir)
    const port = server.port
    const own = [`127.0.0.1:${port}`, `localhost:${port}`]
    for (const host of own) {
      t.is(await statusOf(server, { host }), 200, `Host ${host}`)
      t.is(await statusOf(server, { host, origin: `http://${host}` }), 200, `Origin http://${host}`)
    }
    const foreignHosts = [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${port + 1}`,
      '127.0.0.1'
    ]
    for (const host of foreignHosts) t.is(await statusOf(server, { host }), 403, `Host ${host}`)
    const foreignOrigins = [
      'http://evil.example',
      `http://evil.example:${port}`,
      `https://127.0.0.1:${port}`,
      `http://127.0.0.1:${port + 1}`,
      'null'
    ]
    for (const origin of foreignOrigins) {
      t.is(await statusOf(server, { host: own[0], origin }), 403, `Origin ${origin}`)
    }

    for (const origin of foreignOrigins) {
      await t.exception(open(apiUrl(server), { origin }), /HTTP 403/, `no upgrade from ${origin}`)
    }
    await t.exception(
      open(apiUrl(server), { headers: { host: `evil.example:${port}` } }),
      /HTTP 403/,
      'no upgrade for a rebound Host'
    )
    for (const host of own) {
      const socket = await open(apiUrl(server), { origin: `http://${host}`, headers: { host } })
      const api = connectApi(clientTransport(socket))
      t.is((await api.profile())?.name, 'zed', `the API answers a page from http://${host}`)
      api.close()
    }
  }
)
