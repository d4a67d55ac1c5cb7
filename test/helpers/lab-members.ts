import fs from 'fs/promises'
import os from 'os'
import path from 'path'
import { once } from 'events'
import { spawn } from 'child_process'
import type { Message, RoomStatus } from '../../src/shared/api/contract.js'
import { connectControl } from '../../src/core/control/control-server.js'
import { connectApi, type RemoteApi } from '../../src/shared/rpc/connect-api.js'
import type { LabHost, NatLab } from './netlab.js'
import { BLIND_PEER_BIN, ROOST_BIN, type RunningProcess } from './processes.js'

/** A member in the lab: a real `roost serve` in its LAN namespace, driven over its control socket. */
export interface LabMember {
  readonly name: string
  readonly dataDir: string
  readonly serve: RunningProcess
  readonly api: RemoteApi
  /** `roost --json status` run as its own process, parsed. */
  statusJson(): Promise<{ rooms: RoomStatus[] }>
  close(): Promise<void>
}

async function runRoostCli(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [ROOST_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const [code] = (await once(child, 'close')) as [number | null]
  if (code !== 0) throw new Error(`roost ${args.join(' ')} exited ${code}: ${stderr}`)
  return stdout
}

export async function startLabMember(lab: NatLab, host: LabHost, name: string): Promise<LabMember> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `roost-lab-${name}-`))
  let serve: RunningProcess | null = null
  try {
    await runRoostCli(['--data', dataDir, 'init', '--name', name])
    // behind NAT: the DHT binds the LAN address and must work out its firewall itself
    serve = lab.spawn(host, [
      ROOST_BIN,
      '--data',
      dataDir,
      '--bootstrap',
      lab.bootstrap.join(','),
      '--host',
      lab.ip(host),
      '--json',
      'serve'
    ])
    const started = serve
    await serve.waitForLine(/"ready":true/).catch(async (err: Error) => {
      const code = await started.exited
      throw new Error(`${name}: roost serve exited ${code}: ${started.stdout} ${err.message}`)
    })
    const transport = await connectControl(dataDir)
    if (transport === null) throw new Error(`${name}: roost serve is not answering on ${dataDir}`)
    const api = connectApi(transport)
    const running = serve
    let closing = false
    void running.exited.then((code) => {
      if (!closing)
        process.stderr.write(`# ${name}'s roost serve exited ${code}: ${running.stderr}\n`)
    })
    return {
      name,
      dataDir,
      serve: running,
      api,
      async statusJson() {
        return JSON.parse(await runRoostCli(['--data', dataDir, '--json', 'status'])) as {
          rooms: RoomStatus[]
        }
      },
      async close() {
        closing = true
        api.close()
        await running.stop()
        await fs.rm(dataDir, { recursive: true, force: true })
      }
    }
  } catch (err) {
    await serve?.stop('SIGKILL')
    await fs.rm(dataDir, { recursive: true, force: true })
    throw err
  }
}

/** A roost-blind-peer daemon on the lab's public side; resolves with its key once it listens. */
export async function startLabBlindPeer(
  lab: NatLab
): Promise<{ key: string; process: RunningProcess; close(): Promise<void> }> {
  const storage = await fs.mkdtemp(path.join(os.tmpdir(), 'roost-lab-blind-'))
  const daemon = lab.spawn('blind', [
    BLIND_PEER_BIN,
    '--storage',
    storage,
    '--bootstrap',
    lab.bootstrap.join(','),
    '--host',
    lab.ip('blind')
  ])
  try {
    const line = await daemon.waitForLine(/^key /)
    return {
      key: line.slice(4).trim(),
      process: daemon,
      async close() {
        await daemon.stop()
        await fs.rm(storage, { recursive: true, force: true })
      }
    }
  } catch (err) {
    await daemon.stop('SIGKILL')
    await fs.rm(storage, { recursive: true, force: true })
    throw err
  }
}

/** Resolves with the first message with `text` that `member` receives in `room`. */
export function nextMessage(member: LabMember, room: string, text: string): Promise<Message> {
  return new Promise((resolve) => {
    const unsubscribe = member.api.onDidReceiveMessage((e) => {
      if (e.room !== room || e.message.text !== text) return
      unsubscribe()
      resolve(e.message)
    })
  })
}

export interface ExchangeTimes {
  /** `join` called → it resolved (the joiner is a member and has the room). */
  joinMs: number
  /** `join` called → the admin's message seen by the joiner and the joiner's reply by the admin. */
  bothWaysMs: number
}

/**
 * The user story on one pair: `admin` creates a room kept by `blindPeer`, `joiner` joins by
 * invite, then one message each way. Returns the room id and how long it took.
 */
export async function joinAndExchange(
  admin: LabMember,
  joiner: LabMember,
  blindPeer: string
): Promise<{ room: string; times: ExchangeTimes }> {
  await admin.api.setConfig({ blindPeer })
  const room = await admin.api.createRoom({ name: `lab-${admin.name}-${joiner.name}` })
  const invite = await admin.api.createInvite(room.id, {})
  const started = performance.now()
  const joined = await joiner.api.join(invite.code as string, { timeout: 120_000 })
  const joinMs = performance.now() - started
  const ping = nextMessage(joiner, joined.id, `ping from ${admin.name}`)
  await admin.api.send(room.id, { text: `ping from ${admin.name}` })
  await ping
  const pong = nextMessage(admin, room.id, `pong from ${joiner.name}`)
  await joiner.api.send(joined.id, { text: `pong from ${joiner.name}` })
  await pong
  return { room: room.id, times: { joinMs, bothWaysMs: performance.now() - started } }
}
