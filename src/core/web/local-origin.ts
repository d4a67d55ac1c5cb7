import type { IncomingMessage } from 'http'

/** The names this host answers to: a DNS-rebinding page has another Host, a foreign page another Origin. */
const LOCAL_NAMES = ['127.0.0.1', 'localhost']

/** The Host header is 127.0.0.1:port or localhost:port, nothing else. */
export function isLocalHost(host: string | undefined, port: number): boolean {
  return host !== undefined && LOCAL_NAMES.some((name) => host.toLowerCase() === `${name}:${port}`)
}

/** The Origin header is http://127.0.0.1:port or http://localhost:port (absent: not a browser page). */
export function isLocalOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true
  return LOCAL_NAMES.some((name) => origin.toLowerCase() === `http://${name}:${port}`)
}

/** Both checks, for an HTTP request or a WebSocket upgrade to the server on `port`. */
export function fromLocalPage(req: IncomingMessage, port: number): boolean {
  return isLocalHost(req.headers.host, port) && isLocalOrigin(req.headers.origin, port)
}
