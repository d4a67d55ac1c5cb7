import path from 'path'
import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import sodium from 'sodium-native'
import z32 from 'z32'
import type { Profile } from '../../shared/api/contract.js'
import { RoostError } from '../../shared/api/errors.js'
import { readJsonFile, writeJsonFile } from '../storage/json-file.js'
import { validateName } from '../validate.js'
import {
  bindWriter,
  deviceProof,
  identityFromKeyPair,
  identityFromPhrase,
  newPhrase,
  normalizePhrase,
  verifyDeviceProof,
  type KeyPair
} from './identity-key.js'

/** Moving profile.json aside would make a new identity: never the first advice. */
const RECOVERY =
  'restore it from a backup; only if you have none, move it aside and run init again (a new identity: rooms must invite you again)'

/**
 * Version 2 adds the recovery phrase the key pair comes from (identity-key.ts). A version 1
 * profile's key pair is random: it has no phrase, and keeps working as it is. Version 3 adds this
 * device's own key pair and the identity's proof for it; a linked device has those but neither
 * the identity's secret key nor the phrase. Versions 1 and 2 gain a device when loaded.
 */
interface ProfileFile {
  version: 1 | 2 | 3
  name: string
  publicKey: string
  secretKey?: string
  phrase?: string
  device?: { publicKey: string; secretKey: string }
  proof?: string
}

/** A device as it is handed to a new device while linking. */
export interface LinkedDevice {
  name: string
  identity: Buffer
  device: KeyPair
  proof: Buffer
}

/** What a writer carries into a room: the device's binding, and the profile's signature if held. */
export interface WriterClaim {
  binding: Buffer
  signature: Buffer
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
      (raw.secretKey !== undefined && !isHexKey(raw.secretKey, 64))
    ) {
      throw RoostError.dataFileCorrupt(this.file, 'lacks a name or keys', RECOVERY)
    }
    if (raw.phrase !== undefined && typeof raw.phrase !== 'string') {
      throw RoostError.dataFileCorrupt(this.file, 'has a phrase that is not words', RECOVERY)
    }
    const hasDevice = raw.device !== undefined || raw.proof !== undefined
    if (hasDevice && !this._isDevice(raw)) {
      throw RoostError.dataFileCorrupt(this.file, 'has a device without a valid proof', RECOVERY)
    }
    if (!hasDevice && raw.secretKey === undefined) {
      throw RoostError.dataFileCorrupt(this.file, 'lacks a name or keys', RECOVERY)
    }
    this._profile = {
      version: hasDevice ? 3 : raw.phrase === undefined ? 1 : 2,
      name: raw.name,
      publicKey: raw.publicKey,
      ...(raw.secretKey === undefined ? {} : { secretKey: raw.secretKey }),
      ...(raw.phrase === undefined ? {} : { phrase: raw.phrase }),
      ...(hasDevice ? { device: raw.device, proof: raw.proof } : {})
    }
    if (!hasDevice) await this._addDevice()
  }

  /** A device for a profile made before devices: the identity's key pair vouches for it. */
  private async _addDevice(): Promise<void> {
    const current = this._require()
    const identity = identityFromKeyPair({
      publicKey: b4a.from(current.publicKey, 'hex'),
      secretKey: b4a.from(this._secretHex(), 'hex')
    })
    const device = crypto.keyPair()
    const proof = await deviceProof(identity, device.publicKey)
    const next: ProfileFile = { ...current, version: 3, ...deviceFields(device, proof) }
    await writeJsonFile(this.file, next)
    this._profile = next
  }

  private _isDevice(raw: Partial<ProfileFile>): boolean {
    const d = raw.device
    if (typeof d !== 'object' || d === null) return false
    if (!isHexKey(d.publicKey, 32) || !isHexKey(d.secretKey, 64)) return false
    if (typeof raw.proof !== 'string' || !/^([0-9a-f]{2})+$/i.test(raw.proof)) return false
    const vouched = verifyDeviceProof(b4a.from(raw.proof, 'hex'), {
      identity: b4a.from(raw.publicKey as string, 'hex')
    })
    return vouched !== null && b4a.toString(vouched.device, 'hex') === d.publicKey.toLowerCase()
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
    const current = this._require()
    // a linked device never held the identity's secret: its own device secret keys its files
    const secret = current.secretKey ?? current.device?.secretKey
    const key = b4a.alloc(32)
    sodium.crypto_generichash(key, b4a.from(purpose), b4a.from(secret as string, 'hex'))
    return key
  }

  /** Whether this device holds the identity's secret key (made or restored here, not linked). */
  get holdsIdentity(): boolean {
    return this._require().secretKey !== undefined
  }

  /** The identity, to vouch for a new device or a new epoch; only where its secret is held. */
  identity(): ReturnType<typeof identityFromKeyPair> {
    return identityFromKeyPair({
      publicKey: this.publicKey,
      secretKey: b4a.from(this._secretHex(), 'hex')
    })
  }

  get device(): KeyPair {
    const device = this._require().device
    if (device === undefined) throw RoostError.notInitialized()
    return {
      publicKey: b4a.from(device.publicKey, 'hex'),
      secretKey: b4a.from(device.secretKey, 'hex')
    }
  }

  get proof(): Buffer {
    const proof = this._require().proof
    if (proof === undefined) throw RoostError.notInitialized()
    return b4a.from(proof, 'hex')
  }

  /**
   * What a writer of this device carries into a room: the device's binding, and the profile's
   * own signature too where this device holds its secret (64 zero bytes on a linked device),
   * both over the room's discovery key, which a joiner knows before the room key.
   */
  claimWriter(discoveryKey: Buffer, writer: Buffer, signed: Buffer): WriterClaim {
    const binding = bindWriter(discoveryKey, writer, this.device, this.proof)
    const current = this._require()
    const signature =
      current.secretKey === undefined
        ? b4a.alloc(64)
        : crypto.sign(signed, b4a.from(current.secretKey, 'hex'))
    return { binding, signature }
  }

  private _secretHex(): string {
    const secret = this._require().secretKey
    if (secret === undefined) throw RoostError.noIdentitySecret()
    return secret
  }

  /**
   * The 24 words this profile comes from; NO_PHRASE for a profile made before phrases,
   * NO_IDENTITY_SECRET on a linked device.
   */
  phrase(): string {
    // a linked device never held the words: they are on the device that made the profile
    if (this._require().secretKey === undefined) throw RoostError.noIdentitySecret()
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
    const identity = await identityFromPhrase(words)
    const { keyPair } = identity
    const device = crypto.keyPair()
    const proof = await deviceProof(identity, device.publicKey)
    if (this._profile !== null) throw RoostError.alreadyInitialized() // a racing init won
    const profile: ProfileFile = {
      version: 3,
      name: validName,
      publicKey: b4a.toString(keyPair.publicKey, 'hex'),
      secretKey: b4a.toString(keyPair.secretKey, 'hex'),
      phrase: words,
      ...deviceFields(device, proof)
    }
    keyPair.secretKey.fill(0)
    return this._write(profile)
  }

  /** This device, linked from another: the identity's public key and a proof, no secret. */
  async createLinked(linked: LinkedDevice): Promise<Profile> {
    if (this._profile !== null) throw RoostError.alreadyInitialized()
    return this._write({
      version: 3,
      name: validateName(linked.name, 'Name'),
      publicKey: b4a.toString(linked.identity, 'hex'),
      ...deviceFields(linked.device, linked.proof)
    })
  }

  private async _write(profile: ProfileFile): Promise<Profile> {
    this._profile = profile
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

function deviceFields(device: KeyPair, proof: Buffer): Pick<ProfileFile, 'device' | 'proof'> {
  return {
    device: {
      publicKey: b4a.toString(device.publicKey, 'hex'),
      secretKey: b4a.toString(device.secretKey, 'hex')
    },
    proof: b4a.toString(proof, 'hex')
  }
}

function isHexKey(value: unknown, bytes: number): value is string {
  return typeof value === 'string' && value.length === bytes * 2 && /^[0-9a-f]+$/i.test(value)
}
