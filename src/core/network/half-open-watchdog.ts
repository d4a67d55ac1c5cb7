import type { EventEmitter } from 'events'

/** What the watchdog needs of a connection (a Hyperswarm NoiseSecretStream). */
export interface WatchedConnection extends EventEmitter {
  rawBytesRead: number
  rawBytesWritten: number
  destroy(): void
}

/**
 * A connection that has sent but read nothing within `timeoutMs` lost a hole-punch race
 * (docs/ARCHITECTURE.md, Network): its other end is gone and UDX would only notice after ~13 s. (One that has sent
 * nothing either is merely idle: a Hyperswarm stream carries no bytes until a protocol writes.) Destroying it makes Hyperswarm
 * redial at once (with Roost's short backoffs), so a lost race costs ~2 s, not 15–70 s.
 */
export function watchHalfOpen(conn: WatchedConnection, timeoutMs: number): void {
  const timer = setTimeout(() => {
    if (conn.rawBytesRead === 0 && conn.rawBytesWritten > 0) {
      conn.emit('half-open')
      conn.destroy()
    }
  }, timeoutMs)
  conn.once('close', () => clearTimeout(timer))
}
