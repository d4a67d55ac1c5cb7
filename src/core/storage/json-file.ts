import fs from 'fs/promises'
import path from 'path'

/** Reads a JSON file; a missing file is null, a corrupt one throws with its path. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new Error(`${file} is not valid JSON`)
  }
}

/** Writes via a temp file, fsync and rename, so a crash leaves the old or the new file whole. */
export async function writeJsonFile(file: string, value: unknown, mode = 0o600): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`)
  const handle = await fs.open(tmp, 'w', mode)
  try {
    await handle.writeFile(JSON.stringify(value, null, 2) + '\n')
    await handle.sync()
  } finally {
    await handle.close()
  }
  await fs.rename(tmp, file)
}
