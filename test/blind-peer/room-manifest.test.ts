import b4a from 'b4a'
import test from 'brittle'
import Corestore from 'corestore'
import crypto from 'hypercore-crypto'
import {
  MANIFEST_LIMITS,
  parseManifest,
  signManifest,
  writerKeyOf,
  type RoomManifestBody
} from '../../src/core/mirrors/room-manifest.js'
import { tempDir } from '../helpers/index.js'

const keys = (n: number): Buffer[] => Array.from({ length: n }, () => crypto.randomBytes(32))

function body(roomKey: Buffer, lists: Partial<RoomManifestBody> = {}): RoomManifestBody {
  return {
    roomKey,
    version: 1_800_000_000_000,
    mirrors: keys(2),
    admins: [roomKey],
    writers: [roomKey, ...keys(3)],
    cores: keys(3),
    ...lists
  }
}

test('a signed manifest parses back to what was signed', (t) => {
  const keyPair = crypto.keyPair()
  const signed = body(writerKeyOf(keyPair.publicKey))
  const parsed = parseManifest(signManifest(signed, keyPair))
  t.ok(parsed.ok)
  if (!parsed.ok) return
  t.alike(
    { ...parsed.manifest, signer: undefined, signature: undefined },
    {
      ...signed,
      blobs: [],
      signer: undefined,
      signature: undefined
    }
  )
  t.alike(parsed.manifest.signer, keyPair.publicKey)
})

test('a manifest with blobs cores is format 2; one without stays format 1', (t) => {
  const keyPair = crypto.keyPair()
  const roomKey = writerKeyOf(keyPair.publicKey)
  const blobs = keys(2)
  const withBlobs = signManifest(body(roomKey, { blobs }), keyPair)
  const without = signManifest(body(roomKey), keyPair)
  t.is(withBlobs[0], 2, 'format 2')
  t.is(without[0], 1, 'format 1: blind peers from before files still take it')
  const parsed = parseManifest(withBlobs)
  t.ok(parsed.ok && parsed.manifest.blobs.every((k, i) => k.equals(blobs[i])), 'blobs parse back')
  t.is(parsed.ok && parsed.manifest.blobs.length, 2)
  const tooMany = body(roomKey, { blobs: keys(MANIFEST_LIMITS.blobs + 1) })
  t.absent(parseManifest(signManifest(tooMany, keyPair)).ok, 'past the blobs limit is refused')
  let accepted = 0
  for (let i = 0; i < withBlobs.byteLength; i++) {
    const flipped = b4a.from(withBlobs)
    flipped[i] ^= 0x01
    if (parseManifest(flipped).ok) accepted++
  }
  t.is(accepted, 0, 'no flipped format-2 manifest passes')
})

test('a crafted manifest is refused, never thrown: flips, cuts, extra bytes, sizes, noise', (t) => {
  const keyPair = crypto.keyPair()
  const bytes = signManifest(body(writerKeyOf(keyPair.publicKey)), keyPair)
  let accepted = 0
  for (let i = 0; i < bytes.byteLength; i++) {
    const flipped = b4a.from(bytes)
    flipped[i] ^= 0x01
    if (parseManifest(flipped).ok) accepted++
    if (parseManifest(bytes.subarray(0, i)).ok) accepted++
  }
  t.is(accepted, 0, 'no flipped or cut manifest passes')
  const extra = parseManifest(b4a.concat([bytes, b4a.from([0])]))
  t.alike(extra, { ok: false, reason: 'trailing bytes' })
  const tooMany = body(writerKeyOf(keyPair.publicKey), { cores: keys(MANIFEST_LIMITS.cores + 1) })
  t.absent(parseManifest(signManifest(tooMany, keyPair)).ok, 'past a list limit is refused')
  for (let i = 0; i < 200; i++) {
    if (parseManifest(crypto.randomBytes(i * 7)).ok) accepted++
  }
  t.is(accepted, 0, 'noise never parses')
})

test('a writer core key is what its signing key makes (how a room key names its creator)', async (t) => {
  const store = new Corestore(await tempDir(t))
  t.teardown(() => store.close())
  const core = store.get({ name: 'local', compat: false })
  await core.ready()
  const { publicKey } = (core as unknown as { keyPair: { publicKey: Buffer } }).keyPair
  t.alike(writerKeyOf(publicKey), core.key)
})
