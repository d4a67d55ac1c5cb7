// Declarations for keet-identity-key 3.2.0 and bip39-mnemonic 2.5.0, read from their code (the
// README's names differ): only what Roost calls.

declare module 'keet-identity-key' {
  interface KeyPair {
    publicKey: Buffer
    secretKey: Buffer
  }
  /** A decoded proof (lib/encoding.js ProofEncoding). `epoch` is ms, kept at 1 s resolution. */
  interface Proof {
    version: number
    epoch: number
    identity: Buffer
    chain: Array<{ publicKey: Buffer; signature: Buffer }>
    data?: { signature: Buffer } | null
  }
  interface Verified {
    /** The proof's epoch, 8 bytes (uint64 LE seconds). */
    receipt: Buffer
    identityPublicKey: Buffer
    /** The chain's last device; the identity itself for an empty chain. */
    devicePublicKey: Buffer
  }
  interface VerifyOptions {
    /** Refuse proofs of an older epoch than this receipt's. */
    receipt?: Buffer
    expectedIdentity?: Buffer
    expectedDevice?: Buffer
  }
  class IdentityKey {
    /** The identity's ed25519 key pair, m/48'/5338'/0'/0'/0' of the seed. */
    identityKeyPair: KeyPair
    profileDiscoveryKeyPair: KeyPair
    get identityPublicKey(): Buffer
    getEncryptionKey(profileKey: Buffer): Buffer
    bootstrap(device: Buffer): Promise<Buffer>
    /** Zeroes the key chain and both secret keys. */
    clear(): void
    static generateMnemonic(): string
    /** Normalises and checks the words, then PBKDF2: throws 'Invalid mnemonic'. */
    static deriveSeed(mnemonic: string): Promise<Buffer>
    static from(opts: { seed?: Buffer; mnemonic?: string }): Promise<IdentityKey>
    /** Stamps `epoch: Date.now()`. */
    static bootstrap(
      root: { identity?: KeyPair; seed?: Buffer; mnemonic?: string },
      device: Buffer
    ): Promise<Buffer>
    /** Checks nothing about `parent`: a wrong parent makes a proof that does not verify. */
    static attestDevice(publicKey: Buffer, parent: KeyPair, proof: Buffer | Proof | null): Buffer
    static attestData(data: Buffer, keyPair: KeyPair, proof: Buffer | Proof | null): Buffer
    /** Throws on a malformed buffer, and on `null` data with a proof that attests data. */
    static verify(proof: Buffer | Proof, data: Buffer | null, opts?: VerifyOptions): Verified | null
  }
  export type { KeyPair, Proof, Verified, VerifyOptions }
  export default IdentityKey
}

declare module 'keet-identity-key/lib/encoding.js' {
  import type { Encoding } from 'compact-encoding'
  import type { Proof } from 'keet-identity-key'
  const encoding: {
    ProofEncoding: Encoding<Proof>
    ReceiptEncoding: Encoding<{ epoch: number }>
  }
  export default encoding
}

declare module 'bip39-mnemonic' {
  const bip39: {
    /** Lower case, single spaces, trimmed. */
    normalizeMnemonic(mnemonic: string): string
    /** Throws on an unknown word, a length that is not a multiple of 3, or a bad checksum. */
    mnemonicToEntropy(mnemonic: string): Buffer
    /** English unless told otherwise. */
    entropyToMnemonic(entropy: Buffer, opts?: { language?: string }): string
  }
  export default bip39
}
