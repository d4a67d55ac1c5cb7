import { parseArgs } from 'util'
import { RoostError } from '../src/shared/api/errors.js'
import { BlindPeerService, readBlindPeerStatus } from './blind-peer-service.js'

const USAGE = `Usage:
  roost-blind-peer --storage DIR [--bootstrap HOST:PORT,...] [--host ADDR] [--port N] [--max-storage 50GB]
  roost-blind-peer status --storage DIR

Keeps the encrypted cores of the rooms that add this blind peer as a mirror, so members who
come back while everyone else is offline still catch up. It never holds a room's key.
  --storage DIR          where the cores, the key seed and status live (required)
  --bootstrap H:P,...    DHT bootstrap nodes (env ROOST_BOOTSTRAP; default: the public DHT)
  --host ADDR            address the DHT binds to (env ROOST_HOST)
  --port N               UDP port the DHT binds to, to forward on the router (default: any free one)
  --max-storage SIZE     refuse new cores past this size, e.g. 500MB, 50GB (default 50GB)`

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
        `last activity: ${last}`
      ].join('\n') + '\n'
    )
    return 0
  }

  const maxStorage = values['max-storage'] === undefined ? null : parseSize(values['max-storage'])
  if (values['max-storage'] !== undefined && maxStorage === null) {
    return usage('--max-storage takes a size such as 500MB or 50GB')
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
    maxStorage,
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
