import { execFile } from 'child_process'
import { promisify } from 'util'
import type { Test } from 'brittle'
import { tempDir } from './index.js'

const exec = promisify(execFile)
const TMPFS_SIZE = '8m'

/** A small tmpfs of its own for one test, unmounted at teardown; null when we may not mount. */
export async function smallDisk(t: Test, size = TMPFS_SIZE): Promise<string | null> {
  if (process.getuid?.() !== 0 || process.platform !== 'linux') return null
  const dir = await tempDir(t)
  try {
    await exec('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir])
  } catch (err) {
    t.comment(`cannot mount a tmpfs: ${(err as Error).message}`)
    return null
  }
  // after every core on it has closed (order 0), before the temp dir is removed (order 200)
  t.teardown(() => exec('umount', [dir]), { order: 150 })
  return dir
}
