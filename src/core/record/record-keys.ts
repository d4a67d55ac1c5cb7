import path from 'path'
import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import { RoostError } from '../../shared/api/errors.js'
import { writerKeyOf } from '../mirrors/room-manifest.js'
import { readJsonFile, writeJsonFile } from '../storage/json-file.js'
import type { KeyPair } from '../identity/identity-key.js'

/**
 * Where the person's own record is, derived from the identity's secret key so the phrase alone
 * finds it again: the key pair of its first writer (whose core key is the record's key, as a
 * room's key is its creator's writer key) and its encryption key. A linked device never holds
 * the identity's secret: it is handed the key and the encryption key while linking.
 */
export interface RecordKeys {
  key: Buffer
  encryptionKey: Buffer
  /** The first writer's key pair; only where the identity's secret is held. */
  signer: KeyPair | null
}

const SIGNER_TAG = b4a.from('roost/personal-record/v1/signer')
const ENCRYPTION_TAG = b4a.from('roost/personal-record/v1/encryption')

export function recordKeysOf(identitySecretKey: Buffer): RecordKeys {
  const seed = identitySecretKey.subarray(0, 32)
  const signer = crypto.keyPair(crypto.hash([SIGNER_TAG, seed]))
  return {
    key: writerKeyOf(signer.publicKey),
    encryptionKey: crypto.hash([ENCRYPTION_TAG, seed]),
    signer
  }
}

/**
 * How this data dir takes part in the record (record.json): its key and encryption key, and
 * whether this device writes the record's first core. Only the device that made the profile
 * does: a device restored from the phrase derives the same key pair but writes a core of its
 * own, so the first core never forks when the old device is still alive.
 */
export interface RecordFile {
  version: 1
  key: string
  encryptionKey: string
  /** This device writes with the first writer's key pair. */
  first: boolean
}

const RECOVERY = 'delete it: Roost makes it again from the profile (linked devices: link again)'

export class RecordFileStore {
  readonly file: string
  private _record: RecordFile | null

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'record.json')
    this._record = null
  }

  get record(): RecordFile | null {
    return this._record
  }

  async load(): Promise<void> {
    const raw = (await readJsonFile(this.file, RECOVERY)) as Partial<RecordFile> | null
    if (raw === null) return
    if (
      typeof raw !== 'object' ||
      !isHex32(raw.key) ||
      !isHex32(raw.encryptionKey) ||
      typeof raw.first !== 'boolean'
    )
      throw RoostError.dataFileCorrupt(this.file, 'is not a record entry', RECOVERY)
    this._record = { version: 1, key: raw.key, encryptionKey: raw.encryptionKey, first: raw.first }
  }

  async save(keys: { key: Buffer; encryptionKey: Buffer }, first: boolean): Promise<RecordFile> {
    const record: RecordFile = {
      version: 1,
      key: b4a.toString(keys.key, 'hex'),
      encryptionKey: b4a.toString(keys.encryptionKey, 'hex'),
      first
    }
    await writeJsonFile(this.file, record)
    this._record = record
    return record
  }
}

function isHex32(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{64}$/i.test(value)
}
