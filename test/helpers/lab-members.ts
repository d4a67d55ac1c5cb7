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

/** A member in the lab: a real `roost serve` in its LAN namespace, driven over its control socket. */
export class LabMember {
  readonly name: string
  readonly dataDir: string
  private _lab: NatLab
  private _host: LabHost
  private _serve: RunningProcess | null
  private _api: RemoteApi | null
  private _stopping: boolean

  constructor(lab: NatLab, host: LabHost, name: string, dataDir: string) {
    this._lab = lab
    this._host = host
    this.name = name
    this.dataDir = dataDir
    this._serve = null
    this._api = null
    this._stopping = false
  }

  get api(): RemoteApi {
    if (this._api === null) throw new Error(`${this.name} is not running`)
    return this._api
  }

  get serve(): RunningProcess {
    if (this._serve === null) throw new Error(`${this.name} is not running`)
    return this._serve
  }

  /** Starts `roost serve` on the member's data dir and connects to it. */
  async start(): Promise<void> {
    const lab = this._lab
    this._stopping = false
    // behind NAT: the DHT binds the LAN address and must work out its firewall itself
    const serve = lab.spawn(this._host, [
      ROOST_BIN,
      '--data',
      this.dataDir,
      '--bootstrap',
      lab.bootstrap.join(','),
      '--host',
      lab.ip(this._host),
      '--json',
      'serve'
    ])
    this._serve = serve
    await serve.waitForLine(/"ready":true/).catch(async (err: Error) => {
      const code = await serve.exited
      throw new Error(`${this.name}: roost serve exited ${code}: ${serve.stdout} ${err.message}`)
    })
    void serve.exited.then((code) => {
      if (!this._stopping) {
        process.stderr.write(`# ${this.name}'s roost serve exited ${code}: ${serve.stderr}\n`)
      }
    })
    const transport = await connectControl(this.dataDir)
    if (transport === null) throw new Error(`${this.name}: roost serve is not answering`)
    this._api = connectApi(transport)
  }

  /** Stops `roost serve` (SIGTERM: a graceful shutdown); the data dir stays. */
  async stop(): Promise<void> {
    this._stopping = true
    this._api?.close()
    this._api = null
    await this._serve?.stop()
    this._serve = null
  }

  /** `roost --json ARGS` run as its own process against the running core, parsed. */
  async cli(args: string[]): Promise<unknown> {
    return JSON.parse(await runRoostCli(['--data', this.dataDir, '--json', ...args]))
  }

  /** `roost --json status`, parsed. */
  async statusJson(): Promise<{ rooms: RoomStatus[] }> {
    return (await this.cli(['status'])) as { rooms: RoomStatus[] }
  }

  async close(): Promise<void> {
    await this.stop()
    await fs.rm(this.dataDir, { recursive: true, force: true })
  }
}

export async function startLabMember(lab: NatLab, host: LabHost, name: string): Promise<LabMember> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), `roost-lab-${name}-`))
  const member = new LabMember(lab, host, name, dataDir)
  try {
    await runRoostCli(['--data', dataDir, 'init', '--name', name])
    await member.start()
    return member
  } catch (err) {
    await member.close()
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
