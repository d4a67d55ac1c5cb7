import type { MessagePage, RoomId, RoostApi } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'

/** Messages per page while scrolling back. */
export const PAGE_SIZE = 100
const FALLBACK_SIZES = [PAGE_SIZE, 10, 1]
const PAGE_TIMEOUT_MS = 15_000

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new RoostError('INTERNAL', 'Roost took too long to answer')),
      ms
    )
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (err: unknown) => {
        clearTimeout(timer)
        reject(err)
      }
    )
  })
}

/**
 * One page of a room's messages, newest last. A page of very long messages can exceed the RPC
 * frame limit and is then never answered: after a timeout, ask again for fewer messages.
 */
export async function fetchPage(
  api: RoostApi,
  room: RoomId,
  before: string | undefined
): Promise<MessagePage> {
  let lastError: unknown = null
  for (const limit of FALLBACK_SIZES) {
    try {
      const options = before === undefined ? { limit } : { before, limit }
      return await withTimeout(api.messages(room, options), PAGE_TIMEOUT_MS)
    } catch (err) {
      const error = RoostError.from(err)
      if (error.code !== 'INTERNAL') throw error
      lastError = error
    }
  }
  throw lastError
}
