import { parseArgs } from 'util'
import { RoostError } from '../src/shared/api/errors.js'
import { BlindPeerService, readBlindPeerStatus } from './blind-peer-service.js'

const USAGE = `Usage:
  roost-blind-peer --storage DIR [--bootstrap HOST:PORT,...] [--host ADDR] [--port N]
                   [--max-storage 50GB] [--room-quota 10GB] [--peer-quota 25GB] [--relay-per-peer 32]
  roost-blind-peer status --storage DIR

Keeps the encrypted cores of the rooms that add this blind peer as a mirror, so members who
come back while everyone else is offline still catch up. It never holds a room's key.
A room registers with a manifest its admins sign (the first one by the room's creator); only
cores that manifest lists, asked for under that room, are kept. Anything else is refused and
logged, and a writer dropped from the manifest (a removed member) stops growing here.
  --storage DIR          where the cores, the key seed, the rooms and status live (required)
  --bootstrap H:P,...    DHT bootstrap nodes (env ROOST_BOOTSTRAP; default: the public DHT)
  --host ADDR            address the DHT binds to (env ROOST_HOST)
  --port N               UDP port the DHT binds to, to forward on the router (default: any free one)
  --max-storage SIZE     hard cap for all cores, e.g. 500MB, 50GB (default 50GB)
  --room-quota SIZE      cap for the cores of one room (default 10GB)
  --peer-quota SIZE      cap for the cores one peer (remote key) asked for first (default 25GB)
  --relay-per-peer N     relayed connections one peer may hold at once (default 32)
Past a cap, new cores are refused and the cores it holds stop growing (they are still served);
the log and the status command say so. Sizes count each core's full length, so what is on
disk never exceeds them.`

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4
}

export function parseSize(text: string): number | null {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim())
  if (match === null) return null
  const unit = SIZE_UNITS[match[2].toLowerCase()]
  if (unit === undefined) return null
  const bytes = Math.floor(Number(match[1]) * unit)
  return bytes > 0 ? bytes : null
}

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`)
}

function usage(message: string): number {
  process.stderr.write(`roost-blind-peer: ${message}\n\n${USAGE}\n`)
  return 2
}

export async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        storage: { type: 'string' },
        bootstrap: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'max-storage': { type: 'string' },
        'room-quota': { type: 'string' },
        'peer-quota': { type: 'string' },
        'relay-per-peer': { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (err) {
    return usage((err as Error).message)
  }
  const { values, positionals } = parsed
  if (values.help) {
    process.stdout.write(USAGE + '\n')
    return 0
  }
  if (values.storage === undefined) return usage('--storage DIR is required')
  if (positionals.length > 1 || (positionals.length === 1 && positionals[0] !== 'status')) {
    return usage(`unknown command "${positionals.join(' ')}"`)
  }

  if (positionals[0] === 'status') {
    const status = await readBlindPeerStatus(values.storage)
    if (status === null) {
      process.stderr.write(`error NOT_FOUND: no blind peer has run on ${values.storage}\n`)
      return 1
    }
    const last =
      status.lastActivity === null ? 'never' : new Date(status.lastActivity).toISOString()
    process.stdout.write(
      [
        `key: ${status.key}`,
        `running: ${status.running ? 'yes' : 'no'}`,
        `cores: ${status.cores}`,
        `bytes: ${status.bytes} of ${status.maxStorage}${status.full ? ' (full)' : ''}`,
        `rooms: ${status.rooms}`,
        `quotas: room ${status.roomQuota} bytes, peer ${status.peerQuota} bytes, relay ${status.relayPerPeer} per peer`,
        `held: ${status.held} cores stopped growing`,
        `refused: ${status.refused} cores`,
        `rooms over quota: ${status.overQuota.rooms.join(' ') || 'none'}`,
        `peers over quota: ${status.overQuota.peers.join(' ') || 'none'}`,
        `last activity: ${last}`
      ].join('\n') + '\n'
    )
    return 0
  }

  const sizes: Record<'max-storage' | 'room-quota' | 'peer-quota', number | null> = {
    'max-storage': null,
    'room-quota': null,
    'peer-quota': null
  }
  for (const flag of ['max-storage', 'room-quota', 'peer-quota'] as const) {
    const text = values[flag]
    if (text === undefined) continue
    sizes[flag] = parseSize(text)
    if (sizes[flag] === null) return usage(`--${flag} takes a size such as 500MB or 50GB`)
  }
  const relayPerPeer =
    values['relay-per-peer'] === undefined ? null : Number(values['relay-per-peer'])
  if (relayPerPeer !== null && (!Number.isInteger(relayPerPeer) || relayPerPeer < 0)) {
    return usage('--relay-per-peer takes a whole number (0 turns relaying off)')
  }
  const port = values.port === undefined ? null : Number(values.port)
  if (port !== null && (!Number.isInteger(port) || port <= 0 || port > 65535)) {
    return usage('--port takes a UDP port number (1-65535)')
  }
  const bootstrap = values.bootstrap ?? process.env.ROOST_BOOTSTRAP
  const service = new BlindPeerService({
    storage: values.storage,
    bootstrap: bootstrap
      ? bootstrap
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : null,
    host: values.host ?? process.env.ROOST_HOST ?? null,
    port,
    maxStorage: sizes['max-storage'],
    roomQuota: sizes['room-quota'],
    peerQuota: sizes['peer-quota'],
    relayPerPeer,
    log
  })
  try {
    await service.open()
  } catch (err) {
    const error = RoostError.from(err)
    process.stderr.write(`error ${error.code}: ${error.message}\n`)
    return 1
  }
  const status = service.status()
  log(
    `blind peer ${status.key} serving ${status.cores} cores (${status.bytes} bytes); key written to ${values.storage}/key`
  )
  process.stdout.write(`key ${status.key}\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve())
    process.once('SIGTERM', () => resolve())
  })
  log('shutting down')
  await service.close()
  log('stopped')
  return 0
}
