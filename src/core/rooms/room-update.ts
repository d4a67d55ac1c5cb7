import type { Room } from './room.js'

/**
 * Resolves at the first room update after which `holds()` is true, or after `ms` when none
 * comes. Every room update is checked; the state before the call is not.
 */
export function roomUpdate(
  room: Room,
  ms: number,
  holds: () => boolean = () => true
): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (!holds()) return
      done()
    }
    const done = (): void => {
      clearTimeout(timer)
      room.off('update', check)
      resolve()
    }
    const timer = setTimeout(done, ms)
    room.on('update', check)
  })
}
