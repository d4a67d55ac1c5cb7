import { spawn, type ChildProcess } from 'child_process'
import dgram from 'dgram'
import path from 'path'
import { fileURLToPath } from 'url'
import type { Test } from 'brittle'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const ROOST_BIN = path.join(ROOT, 'bin', 'roost.js')
const DHT_BIN = path.join(ROOT, 'node_modules', 'hyperdht', 'bin.js')

const alive = new Set<ChildProcess>()
let killOnExit = false

/**
 * Kills every child still running when this test process exits, however it exits. A test that
 * dies from an uncaught error never runs its teardowns, and a `roost serve` left behind keeps
 * answering on loopback DHT ports and breaks later tests (NO_NETWORK never shows).
 */
function track(child: ChildProcess): void {
  alive.add(child)
  child.once('exit', () => alive.delete(child))
  if (killOnExit) return
  killOnExit = true
  process.once('exit', () => {
    for (const c of alive) c.kill('SIGKILL')
  })
}

/** A line-oriented view of a child process's output. */
export class RunningProcess {
  readonly child: ChildProcess
  stdout: string
  stderr: string
  readonly exited: Promise<number | null>
  private _waiters: Array<() => void>

  constructor(child: ChildProcess) {
    this.child = child
    track(child)
    this.stdout = ''
    this.stderr = ''
    this._waiters = []
    child.stdout?.setEncoding('utf8')
    child.stderr?.setEncoding('utf8')
    child.stdout?.on('data', (d: string) => {
      this.stdout += d
      this._wake()
    })
    child.stderr?.on('data', (d: string) => {
      this.stderr += d
      this._wake()
    })
    this.exited = new Promise((resolve) =>
      child.on('close', (code) => {
        this._wake()
        resolve(code)
      })
    )
  }

  get stdoutLines(): string[] {
    return this.stdout.split('\n').filter((l) => l.length > 0)
  }

  /** Resolves with the first line (stdout or stderr) that matches; rejects if the process exits first. */
  waitForLine(pattern: RegExp): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const line = [...this.stdout.split('\n'), ...this.stderr.split('\n')].find((l) =>
          pattern.test(l)
        )
        if (line !== undefined) {
          resolve(line)
          return true
        }
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
          reject(new Error(`process exited before printing ${pattern}: ${this.stderr}`))
          return true
        }
        return false
      }
      if (check()) return
      const waiter = (): void => {
        if (check()) this._waiters = this._waiters.filter((w) => w !== waiter)
      }
      this._waiters.push(waiter)
    })
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal)
    return this.exited
  }

  private _wake(): void {
    for (const waiter of [...this._waiters]) waiter()
  }
}

/** `input`, when given, is written to the process's standard input, which then ends. */
export function startProcess(
  t: Test,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string
): RunningProcess {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env },
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
  })
  if (input !== undefined) child.stdin?.end(input)
  const running = new RunningProcess(child)
  t.teardown(() => running.stop('SIGKILL'), { order: 50 })
  return running
}

export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4')
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()))
  const { port } = socket.address()
  await new Promise<void>((resolve) => socket.close(() => resolve()))
  return port
}

/** A private DHT bootstrap node as its own process; returns its host:port. */
export async function startBootstrapNode(t: Test): Promise<string> {
  const port = await freeUdpPort()
  const node = startProcess(t, [
    DHT_BIN,
    '--bootstrap',
    '--host',
    '127.0.0.1',
    '--port',
    String(port)
  ])
  t.teardown(() => node.stop('SIGKILL'), { order: 90 })
  await node.waitForLine(/Fully started/)
  return `127.0.0.1:${port}`
}

/** Runs `roost` with the given args (and standard input) to completion. */
export async function runRoost(
  t: Test,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string
) {
  const running = startProcess(t, [ROOST_BIN, ...args], env, input)
  const code = await running.exited
  return { code, stdout: running.stdout, stderr: running.stderr, lines: running.stdoutLines }
}

export const BLIND_PEER_BIN = path.join(ROOT, 'blind-peer', 'bin', 'roost-blind-peer.js')

/** A roost-blind-peer daemon process on `storage`; resolves once it printed its key. */
export async function startBlindPeer(
  t: Test,
  storage: string,
  bootstrap: string[],
  extra: string[] = []
): Promise<{ process: RunningProcess; key: string }> {
  const daemon = startProcess(t, [
    BLIND_PEER_BIN,
    '--storage',
    storage,
    '--bootstrap',
    bootstrap.join(','),
    '--host',
    '127.0.0.1',
    ...extra
  ])
  const line = await daemon.waitForLine(/^key /)
  return { process: daemon, key: line.slice(4).trim() }
}

/** Runs any node script to completion. */
export async function runProcess(t: Test, args: string[]) {
  const running = startProcess(t, args)
  const code = await running.exited
  return { code, stdout: running.stdout, stderr: running.stderr }
}

// ---------------------------------------------------------------------------------------------
// Crash tests (test/core/crash.test.ts, test/core/disk-full.test.ts)
// ---------------------------------------------------------------------------------------------

/** `roost --json serve` on `args` (a data dir and network options); resolves once it is ready. */
export async function startServe(
  t: Test,
  args: string[],
  env: NodeJS.ProcessEnv = {}
): Promise<RunningProcess> {
  const serve = startProcess(t, [ROOST_BIN, ...args, '--json', 'serve'], env)
  await serve.waitForLine(/"ready":true/)
  return serve
}

/** A crash: SIGKILL to the node process itself (startProcess spawns node, no wrapper). */
export async function killHard(running: RunningProcess): Promise<void> {
  const pid = running.child.pid
  if (pid === undefined) throw new Error('the process never started')
  if (running.child.exitCode === null && running.child.signalCode === null)
    process.kill(pid, 'SIGKILL')
  await running.exited
}

/** Runs `roost` and fails the test unless it exits 0. */
export async function mustRoost(t: Test, args: string[], env: NodeJS.ProcessEnv = {}) {
  const result = await runRoost(t, args, env)
  if (result.code !== 0) t.fail(`roost ${args.join(' ')} exited ${result.code}: ${result.stderr}`)
  return result
}
