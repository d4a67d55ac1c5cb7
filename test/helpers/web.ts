import net from 'net'
import type { Test } from 'brittle'
import { ROOST_BIN, startProcess, type RunningProcess } from './processes.js'

export async function freeTcpPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

/** `roost serve --web` as a real process; resolves with it and the URL it printed. */
export async function serveWeb(
  t: Test,
  dataDir: string,
  bootstrap: string[],
  env: NodeJS.ProcessEnv = {},
  /** A port to use again (a restart of the same core); a free one when omitted. */
  port?: number
): Promise<{ proc: RunningProcess; url: string }> {
  port ??= await freeTcpPort()
  const args = ['--data', dataDir, '--bootstrap', bootstrap.join(','), '--host', '127.0.0.1']
  const proc = startProcess(t, [ROOST_BIN, ...args, 'serve', '--web', '--port', String(port)], env)
  const line = await proc.waitForLine(/^web http/)
  await proc.waitForLine(/serving \d+ rooms/)
  return { proc, url: line.slice(4).trim() }
}
