import crypto from 'crypto'
import fs from 'fs/promises'
import path from 'path'
import { RoostError } from '../../shared/api/errors.js'

/** Unix socket paths are limited to ~104 bytes. */
const MAX_SOCKET_PATH = 100
const WINDOWS = process.platform === 'win32'
/** Sockets this process has named: two cores of one process never share a name. */
let bound = 0

function dataDirHash(dataDir: string): string {
  return crypto.createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16)
}

/**
 * Where this process puts its control socket for dataDir: $XDG_RUNTIME_DIR/roost (made 0700)
 * when the session has a private runtime dir, else the data dir itself. Never a shared temp dir.
 * The name carries the pid: each contender binds its own socket before it takes a lock, and the
 * lock file records which socket is the holder's.
 */
export async function socketPathFor(dataDir: string, env = process.env): Promise<string> {
  const hash = dataDirHash(dataDir)
  const id = `${process.pid}-${++bound}`
  if (WINDOWS) return `\\\\.\\pipe\\roost-${hash}-${id}`
  const runtime = await privateRuntimeDir(env)
  if (runtime !== null) return path.join(runtime, `${hash}-${id}.sock`)
  await requireOwnDir(dataDir)
  return path.join(path.resolve(dataDir), `control-${id}.sock`)
}

/** $XDG_RUNTIME_DIR/roost if XDG_RUNTIME_DIR is an absolute dir of ours with mode 0700. */
async function privateRuntimeDir(env: NodeJS.ProcessEnv): Promise<string | null> {
  const base = env.XDG_RUNTIME_DIR
  if (base === undefined || !path.isAbsolute(base)) return null
  const stat = await fs.stat(base).catch(() => null)
  if (stat === null || !stat.isDirectory() || stat.uid !== uid() || (stat.mode & 0o077) !== 0) {
    return null
  }
  const dir = path.join(base, 'roost')
  await fs.mkdir(dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err
  })
  const own = await fs.lstat(dir)
  if (!own.isDirectory() || own.uid !== uid()) throw RoostError.controlSocketUnsafe(dir)
  if ((own.mode & 0o077) !== 0) await fs.chmod(dir, 0o700)
  return dir
}

async function requireOwnDir(dir: string): Promise<void> {
  const stat = await fs.lstat(dir)
  if (!stat.isDirectory() || stat.uid !== uid()) throw RoostError.controlSocketUnsafe(dir)
}

/**
 * Refuses a control socket that is not a socket owned by this user, in a dir of this user that
 * nobody else may write to: another user's process must never get our requests (or answer them).
 */
export async function checkSocketOwner(socketPath: string): Promise<void> {
  if (WINDOWS) return
  const [file, dir] = await Promise.all([
    fs.lstat(socketPath).catch(() => null),
    fs.lstat(path.dirname(socketPath)).catch(() => null)
  ])
  if (dir !== null && (dir.uid !== uid() || (dir.mode & 0o022) !== 0)) {
    throw RoostError.controlSocketUnsafe(path.dirname(socketPath))
  }
  if (file !== null && (!file.isSocket() || file.uid !== uid())) {
    throw RoostError.controlSocketUnsafe(socketPath)
  }
}

/**
 * Runs fn with a path to socketPath short enough to bind or connect: on Linux a long one goes
 * through /proc/self/fd of its open directory.
 */
export async function withUsablePath<T>(
  socketPath: string,
  fn: (usable: string) => Promise<T>
): Promise<T> {
  if (WINDOWS || socketPath.length <= MAX_SOCKET_PATH) return fn(socketPath)
  if (process.platform !== 'linux') throw RoostError.controlSocketPathTooLong(socketPath)
  const dir = await fs.open(path.dirname(socketPath), 'r')
  try {
    return await fn(`/proc/self/fd/${dir.fd}/${path.basename(socketPath)}`)
  } finally {
    await dir.close()
  }
}

function uid(): number {
  return process.getuid?.() ?? -1
}

/**
 * Removes control sockets beside ours that processes now dead left (a crash, a kill -9): their
 * names carry the pid. Run by the lock's holder, so no live contender's socket is touched.
 */
export async function sweepDeadSockets(socketPath: string): Promise<void> {
  if (WINDOWS) return
  const dir = path.dirname(socketPath)
  const prefix = path.basename(socketPath).replace(/\d+-\d+\.sock$/, '')
  const names = await fs.readdir(dir).catch(() => [])
  for (const name of names) {
    const match = /^(\d+)-\d+\.sock$/.exec(name.slice(prefix.length))
    if (!name.startsWith(prefix) || match === null) continue
    const pid = Number(match[1])
    if (pid !== process.pid && !isAlive(pid)) await fs.rm(path.join(dir, name), { force: true })
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
