import path from 'path'
import type { Config } from '../../shared/api/contract.js'
import { readJsonFile, writeJsonFile } from '../storage/json-file.js'

const DEFAULTS: Config = { blindPeer: null, relay: null }

/** The profile's settings in the data dir (config.json). */
export class ConfigStore {
  readonly file: string
  private _config: Config

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'config.json')
    this._config = { ...DEFAULTS }
  }

  async load(): Promise<void> {
    const raw = (await readJsonFile(
      this.file,
      'delete it to go back to the default settings'
    )) as Partial<Config> | null
    this._config = {
      blindPeer: typeof raw?.blindPeer === 'string' ? raw.blindPeer : null,
      relay: typeof raw?.relay === 'string' ? raw.relay : null
    }
  }

  get config(): Config {
    return { ...this._config }
  }

  async update(patch: Partial<Config>): Promise<Config> {
    this._config = { ...this._config, ...patch }
    await writeJsonFile(this.file, this._config)
    return this.config
  }
}
