import path from 'path'
import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import sodium from 'sodium-native'
import z32 from 'z32'
import type { Profile } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { readJsonFile, writeJsonFile } from '../storage/json-file.js'
import { validateName } from '../validate.js'
import { identityFromPhrase, newPhrase, normalizePhrase } from './identity-key.js'

/** Moving profile.json aside would make a new identity: never the first advice. */
const RECOVERY =
  'restore it from a backup; only if you have none, move it aside and run init again (a new identity: rooms must invite you again)'

/**
 * Version 2 adds the recovery phrase the key pair comes from (identity-key.ts). A version 1
 * profile's key pair is random: it has no phrase, and keeps working as it is.
 */
interface ProfileFile {
  version: 1 | 2
  name: string
  publicKey: string
  secretKey: string
  phrase?: string
}

/**
 * The user's identity in one data dir: a display name and a signing key pair (file mode 0600),
 * derived from a 24-word recovery phrase, so the same words give the same profile anywhere.
 */
export class ProfileStore {
  readonly file: string
  private _profile: ProfileFile | null

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'profile.json')
    this._profile = null
  }

  async load(): Promise<void> {
    const raw = (await readJsonFile(this.file, RECOVERY)) as Partial<ProfileFile> | null
    if (raw === null) return
    if (
      typeof raw !== 'object' ||
      typeof raw.name !== 'string' ||
      !isHexKey(raw.publicKey, 32) ||
      !isHexKey(raw.secretKey, 64)
    ) {
      throw RoostError.dataFileCorrupt(this.file, 'lacks a name or keys', RECOVERY)
    }
    if (raw.phrase !== undefined && typeof raw.phrase !== 'string') {
      throw RoostError.dataFileCorrupt(this.file, 'has a phrase that is not words', RECOVERY)
    }
    this._profile = {
      version: raw.phrase === undefined ? 1 : 2,
      name: raw.name,
      publicKey: raw.publicKey,
      secretKey: raw.secretKey,
      ...(raw.phrase === undefined ? {} : { phrase: raw.phrase })
    }
  }

  get profile(): Profile | null {
    if (this._profile === null) return null
    return { id: z32.encode(this.publicKey), name: this._profile.name }
  }

  get publicKey(): Buffer {
    return b4a.from(this._require().publicKey, 'hex')
  }

  get name(): string {
    return this._require().name
  }

  /**
   * A 32-byte key for sealing this device's own files, one per `purpose`: a keyed BLAKE2b of the
   * purpose under the identity's secret key, so a file copied away alone gives nothing up.
   */
  atRestKey(purpose: string): Buffer {
    const key = b4a.alloc(32)
    sodium.crypto_generichash(key, b4a.from(purpose), b4a.from(this._require().secretKey, 'hex'))
    return key
  }

  sign(message: Buffer): Buffer {
    return crypto.sign(message, b4a.from(this._require().secretKey, 'hex'))
  }

  /** The 24 words this profile comes from; NO_PHRASE for a profile made before phrases. */
  phrase(): string {
    const phrase = this._require().phrase
    if (phrase === undefined) throw RoostError.noPhrase()
    return phrase
  }

  /**
   * A new profile from fresh words, or, given `phrase`, the profile those words stand for (the
   * same id as on every device it was used on). A bad phrase is PHRASE_INVALID and writes nothing.
   */
  async create(name: string, phrase?: string): Promise<Profile> {
    if (this._profile !== null) throw RoostError.alreadyInitialized()
    const validName = validateName(name, 'Name')
    const words = phrase === undefined ? newPhrase() : normalizePhrase(phrase)
    const { keyPair } = await identityFromPhrase(words)
    if (this._profile !== null) throw RoostError.alreadyInitialized() // a racing init won
    this._profile = {
      version: 2,
      name: validName,
      publicKey: b4a.toString(keyPair.publicKey, 'hex'),
      secretKey: b4a.toString(keyPair.secretKey, 'hex'),
      phrase: words
    }
    keyPair.secretKey.fill(0)
    try {
      await writeJsonFile(this.file, this._profile)
    } catch (err) {
      this._profile = null
      throw err
    }
    return this.profile as Profile
  }

  async setName(name: string): Promise<Profile> {
    const current = this._require()
    this._profile = { ...current, name: validateName(name, 'Name') }
    await writeJsonFile(this.file, this._profile)
    return this.profile as Profile
  }

  private _require(): ProfileFile {
    if (this._profile === null) throw RoostError.notInitialized()
    return this._profile
  }
}

function isHexKey(value: unknown, bytes: number): value is string {
  return typeof value === 'string' && value.length === bytes * 2 && /^[0-9a-f]+$/i.test(value)
}
