import fs from 'fs/promises'
import { RoostError } from '../../shared/api/errors.js'
import { writeFileAtomic } from './atomic-write.js'

/**
 * Reads a JSON file; a missing file is null. An unreadable or corrupt one throws
 * DATA_FILE_CORRUPT naming the file and `recovery`, what the user can do about it.
 */
export async function readJsonFile(file: string, recovery?: string): Promise<unknown> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return null
    throw RoostError.dataFileCorrupt(file, `cannot be read (${code ?? 'error'})`, recovery)
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw RoostError.dataFileCorrupt(file, 'is not valid JSON', recovery)
  }
}

/** Writes atomically and serialised per file (see writeFileAtomic); mode 0600 unless told. */
export function writeJsonFile(file: string, value: unknown, mode = 0o600): Promise<void> {
  return writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n', mode)
}
