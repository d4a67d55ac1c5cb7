import crypto from 'crypto'
import fs from 'fs/promises'
import path from 'path'
import { RoostError } from '../../shared/api/errors.js'
import { createFileAtomic, writeFileAtomic } from '../storage/atomic-write.js'

/** The web UI's token, one per data dir, so a page keeps working across restarts of its core. */
export const WEB_TOKEN_FILE = 'web-token'

const TOKEN_SHAPE = /^[0-9a-f]{48}$/

function newToken(): string {
  return crypto.randomBytes(24).toString('hex')
}

/**
 * The token in `<dataDir>/web-token`, made (mode 0600, atomically) on the first start. A file
 * that holds no token, or that others may read, is replaced by a new token (open pages then need
 * the new link); one that cannot be read at all is DATA_FILE_CORRUPT.
 */
export async function loadWebToken(dataDir: string, log: (line: string) => void): Promise<string> {
  const file = path.join(dataDir, WEB_TOKEN_FILE)
  await fs.mkdir(dataDir, { recursive: true })
  const fresh = newToken()
  if (await createFileAtomic(file, fresh + '\n')) return fresh
  const found = await readTokenFile(file)
  if ('token' in found) return found.token
  await writeFileAtomic(file, fresh + '\n')
  log(`${file} ${found.problem}: made a new web token (pages opened before need the new link)`)
  return fresh
}

/** The token in an existing file, or what is wrong with it; throws when it cannot be read. */
async function readTokenFile(file: string): Promise<{ token: string } | { problem: string }> {
  let text: string
  let mode: number
  try {
    text = await fs.readFile(file, 'utf8')
    mode = (await fs.stat(file)).mode
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error'
    throw RoostError.dataFileCorrupt(
      file,
      `cannot be read (${code})`,
      'remove it (a new web token is made on the next start) or make it readable'
    )
  }
  const token = text.trim()
  if (!TOKEN_SHAPE.test(token)) return { problem: 'held no token' }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    return { problem: 'was open to other users' }
  }
  return { token }
}
