import { RoostError } from '../../shared/api/errors.js'

const NO_SPACE = /no space left on device|\bENOSPC\b|disk quota exceeded|\bEDQUOT\b/i

/**
 * Whether an error (or what caused it: `cause`, an AggregateError's errors) is a full disk:
 * ENOSPC / EDQUOT from Node, or RocksDB's "IO error: No space left on device" text.
 */
export function isDiskFull(err: unknown, depth = 0): boolean {
  if (depth > 8 || typeof err !== 'object' || err === null) return false
  const { code, message, cause, errors } = err as {
    code?: unknown
    message?: unknown
    cause?: unknown
    errors?: unknown
  }
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'DISK_FULL') return true
  if (typeof message === 'string' && NO_SPACE.test(message)) return true
  if (isDiskFull(cause, depth + 1)) return true
  return Array.isArray(errors) && errors.some((e) => isDiskFull(e, depth + 1))
}

/** `err` as DISK_FULL when it is a full disk (see isDiskFull), else unchanged. */
export function diskFullOr(err: unknown, where?: string): unknown {
  if (err instanceof RoostError && err.code === 'DISK_FULL') return err
  return isDiskFull(err) ? RoostError.diskFull(where) : err
}
