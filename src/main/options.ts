import path from 'path'
import { parseArgs } from 'util'
import { defaultDataDir } from '../cli/data-dir.js'

/** What the core host opens: the same `--data`/`--bootstrap`/`--host` as the CLI. */
export interface HostOptions {
  dataDir: string
  bootstrap: string[] | null
  host: string | null
}

/**
 * Reads `--data DIR`, `--bootstrap host:port,…` and `--host ADDR` from an Electron argv, with
 * ROOST_DATA/ROOST_BOOTSTRAP/ROOST_HOST as defaults. Chromium adds switches of its own and
 * `npm start -- …` leaves a `--` in argv, so everything else is ignored rather than refused.
 */
export function parseHostOptions(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env
): HostOptions {
  const { values } = parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    options: {
      data: { type: 'string' },
      bootstrap: { type: 'string' },
      host: { type: 'string' }
    },
    allowPositionals: true,
    strict: false
  })
  const data = text(values.data) ?? text(env.ROOST_DATA)
  const bootstrap = text(values.bootstrap) ?? text(env.ROOST_BOOTSTRAP)
  const list = bootstrap
    ?.split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
  return {
    dataDir: path.resolve(data ?? defaultDataDir(env)),
    bootstrap: list !== undefined && list.length > 0 ? list : null,
    host: text(values.host) ?? text(env.ROOST_HOST)
  }
}

/** The argv that hands `options` to the core host. */
export function hostArgv(options: HostOptions): string[] {
  const argv = ['--data', options.dataDir]
  if (options.bootstrap !== null) argv.push('--bootstrap', options.bootstrap.join(','))
  if (options.host !== null) argv.push('--host', options.host)
  return argv
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null
}
