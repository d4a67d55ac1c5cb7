import type Autobase from 'autobase'
import { viewCoreKeys, type ManifestSource } from '../mirrors/manifest-publisher.js'
import type { KeyPair } from '../identity/identity-key.js'
import type { PersonalRecord } from './personal-record.js'

/**
 * The record as a blind peer sees it: a "room" whose first manifest its first writer's key
 * signs (any device holding the identity's secret derives that key pair), and whose later ones
 * any of its writers may sign. Nothing is signed before this device writes the record: until
 * then its view may not have the other devices yet, and a manifest without them would make the
 * blind peer stop keeping their cores.
 */
export function recordManifestSource(
  record: PersonalRecord,
  mirrors: () => Buffer[],
  firstSigner: KeyPair | null
): ManifestSource {
  const base = record.base as Autobase<unknown>
  return {
    key: record.key,
    base,
    async body() {
      if (!record.writable || base.closing !== null) return null
      const writers = await record.writers()
      return {
        roomKey: record.key,
        mirrors: mirrors(),
        admins: writers,
        writers,
        cores: viewCoreKeys(base),
        blobs: []
      }
    },
    signer: () => firstSigner ?? record.writerKeyPair
  }
}
