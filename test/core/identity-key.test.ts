import test from 'brittle'
import b4a from 'b4a'
import bip39 from 'bip39-mnemonic'
import crypto from 'hypercore-crypto'
import IdentityKey from 'keet-identity-key'
import {
  bindingBytes,
  bindWriter,
  deviceProof,
  extendProof,
  identityFromKeyPair,
  identityFromPhrase,
  isValidPhrase,
  MAX_PROOF_DEVICES,
  newPhrase,
  receiptEpoch,
  verifyDeviceProof,
  verifyWriterBinding
} from '../../src/core/identity/identity-key.js'
import { rejectsWithCode } from '../helpers/index.js'

/** BIP-39's all-zero and all-one 256-bit vectors: valid 24-word English phrases. */
const ZEROS = 'abandon '.repeat(23) + 'art'
const ONES = 'zoo '.repeat(23) + 'vote'
/** 2026-01-01T00:00:00Z and one second later. */
const EPOCH = 1_767_225_600_000
const LATER = EPOCH + 1000

const keyPair = (n: number) => crypto.keyPair(b4a.alloc(32, n))
const key = (n: number) => b4a.alloc(32, n)
const ROOM = key(0xa1)
const WRITER = key(0xb1)

async function vouched() {
  const identity = await identityFromPhrase(ZEROS)
  const device = keyPair(1)
  const proof = await deviceProof(identity, device.publicKey, { epoch: EPOCH })
  return { identity, device, proof, binding: bindWriter(ROOM, WRITER, device, proof) }
}

test('identity key: one phrase, one identity, however it is typed', async (t) => {
  const phrase = newPhrase()
  t.is(phrase.split(' ').length, 24, 'a new phrase is 24 words')
  t.ok(isValidPhrase(phrase), 'and valid')
  t.not(newPhrase(), phrase, 'each new phrase is another')

  const a = await identityFromPhrase(phrase)
  const b = await identityFromPhrase('  ' + phrase.toUpperCase().split(' ').join(' \n\t ') + '\n')
  t.is(a.publicKey.byteLength, 32, 'a 32-byte identity key')
  t.alike(b.publicKey, a.publicKey, 'upper case, tabs and new lines make the same identity')
  t.alike((await identityFromPhrase(phrase)).keyPair, a.keyPair, 'and the same key pair again')
  t.unlike((await identityFromPhrase(ZEROS)).publicKey, a.publicKey, 'another phrase, another')
})

test('identity key: anything but 24 English BIP-39 words with a good checksum is PHRASE_INVALID', async (t) => {
  const twelve = bip39.entropyToMnemonic(b4a.alloc(16))
  const french = bip39.entropyToMnemonic(b4a.alloc(32), { language: 'french' })
  const refused: Array<[unknown, string]> = [
    ['', 'nothing'],
    ['abandon '.repeat(24).trim(), 'a bad checksum'],
    [ZEROS.split(' ').slice(0, 23).join(' '), '23 words'],
    [ZEROS + ' abandon', '25 words'],
    [ZEROS.replace('art', 'artt'), 'a word not on the list'],
    [ONES.split(' ').reverse().join(' '), 'good words in the wrong order'],
    [twelve, 'a valid 12-word phrase'],
    [french, 'a valid French phrase'],
    [ZEROS.replace(/ /g, ','), 'commas between the words'],
    [null, 'not text']
  ]
  t.ok(isValidPhrase(ZEROS) && isValidPhrase(ONES), 'the BIP-39 vectors are valid')
  t.ok(bip39.mnemonicToEntropy(twelve) && bip39.mnemonicToEntropy(french), 'those two are BIP-39')
  for (const [words, what] of refused) {
    t.absent(isValidPhrase(words), what + ': not valid')
    await rejectsWithCode(t, identityFromPhrase(words), 'PHRASE_INVALID', what + ': refused')
  }
})

test('identity key: a phrase-made identity key pair signs as a profile key pair does', async (t) => {
  const { keyPair: kp, publicKey } = await identityFromPhrase(ONES)
  t.is(kp.secretKey.byteLength, 64, 'a 64-byte ed25519 secret key, as hypercore-crypto makes')
  const message = b4a.from('roost/member-binding/v1\n')
  t.ok(crypto.verify(message, crypto.sign(message, kp.secretKey), publicKey), 'it signs')
  t.alike(crypto.keyPair(kp.secretKey.subarray(0, 32)), kp, 'its first 32 bytes are its seed')
  t.alike(identityFromKeyPair(kp).publicKey, publicKey, 'and it is a key pair like any other')
})

test('identity key: a binding verifies for its room and writer, and for nothing else', async (t) => {
  const { identity, device, proof, binding } = await vouched()
  t.is(proof.byteLength, 139, 'a one-device proof is 139 bytes')
  t.is(binding.byteLength, 203, 'its binding 203')

  const ok = verifyWriterBinding(binding, ROOM, WRITER, { identity: identity.publicKey })
  t.alike(ok?.identity, identity.publicKey, 'the identity')
  t.alike(ok?.device, device.publicKey, 'the device that signed')
  t.is(ok?.epoch, EPOCH, 'the epoch')
  t.is(receiptEpoch(ok?.receipt), EPOCH, 'a receipt of that epoch')
  t.alike(verifyWriterBinding(binding, ROOM, WRITER), ok, 'the same without an expected identity')

  t.is(verifyWriterBinding(binding, ROOM, key(0xb2)), null, 'replayed for another writer')
  t.is(verifyWriterBinding(binding, key(0xa2), WRITER), null, 'replayed in another room')
  t.is(verifyWriterBinding(binding, WRITER, ROOM), null, 'room and writer swapped')
  t.is(verifyWriterBinding(binding, ROOM, WRITER, { identity: key(7) }), null, 'another identity')
  t.is(verifyWriterBinding(proof, ROOM, WRITER), null, 'a device proof binds no writer')
  t.is(verifyDeviceProof(binding), null, 'and a binding is no device proof')
  t.alike(
    verifyDeviceProof(proof)?.device,
    device.publicKey,
    'the proof alone vouches for the device'
  )

  const other = await identityFromPhrase(ONES)
  const stranger = bindWriter(
    ROOM,
    WRITER,
    keyPair(9),
    await deviceProof(other, keyPair(9).publicKey)
  )
  t.is(
    verifyWriterBinding(stranger, ROOM, WRITER, { identity: identity.publicKey }),
    null,
    "another identity's device, for the same writer"
  )
  t.exception(
    () => bindWriter(ROOM, WRITER, keyPair(2), proof),
    /does not vouch for this device/,
    'a device cannot bind with a proof made for another'
  )
})

test('identity key: a second device is vouched for by the first, without the phrase', async (t) => {
  const { identity, device, proof } = await vouched()
  const second = keyPair(2)
  const chained = extendProof(second.publicKey, device, proof)
  t.is(chained.byteLength, 235, 'a two-device proof is 235 bytes')
  const binding = bindWriter(ROOM, WRITER, second, chained)
  t.is(binding.byteLength, 299, 'its binding 299')
  const ok = verifyWriterBinding(binding, ROOM, WRITER, { identity: identity.publicKey })
  t.alike(ok?.device, second.publicKey, 'the second device signed')
  t.is(ok?.epoch, EPOCH, 'in the first device’s epoch')
  t.exception(
    () => extendProof(keyPair(3).publicKey, keyPair(4), proof),
    /does not vouch for this device/,
    'only the proof’s own device extends it'
  )

  let long = chained
  let last = second
  for (let n = 3; n <= MAX_PROOF_DEVICES; n++) {
    const next = keyPair(n)
    long = extendProof(next.publicKey, last, long)
    last = next
  }
  t.ok(
    verifyWriterBinding(bindWriter(ROOM, WRITER, last, long), ROOM, WRITER),
    `${MAX_PROOF_DEVICES} devices`
  )
  const beyond = keyPair(MAX_PROOF_DEVICES + 1)
  t.exception(
    () => extendProof(beyond.publicKey, last, long),
    /at most/,
    'no proof of more is made'
  )
  // made with the library itself, as a peer could
  const tooLong = IdentityKey.attestData(
    bindingBytes(ROOM, WRITER),
    beyond,
    IdentityKey.attestDevice(beyond.publicKey, last, long)
  )
  t.is(
    verifyWriterBinding(tooLong, ROOM, WRITER),
    null,
    `a chain of ${MAX_PROOF_DEVICES + 1} is refused`
  )
})

test('identity key: forged, truncated, padded or random bytes are null, never a throw', async (t) => {
  const { binding } = await vouched()
  let accepted = 0
  for (let i = 0; i < binding.byteLength; i++) {
    for (const bit of [0x01, 0x80]) {
      const forged = b4a.from(binding)
      forged[i] ^= bit
      if (verifyWriterBinding(forged, ROOM, WRITER) !== null) accepted++
    }
  }
  t.is(accepted, 0, `none of ${binding.byteLength * 2} one-bit changes verifies`)
  let truncated = 0
  for (let n = 0; n < binding.byteLength; n++) {
    if (verifyWriterBinding(binding.subarray(0, n), ROOM, WRITER) !== null) truncated++
  }
  t.is(truncated, 0, 'no truncation verifies')
  const padded = b4a.concat([binding, b4a.from([0])])
  t.is(verifyWriterBinding(padded, ROOM, WRITER), null, 'a byte after it (the library ignores it)')
  let random = 0
  for (let n = 0; n < 500; n++) {
    const bytes = crypto.randomBytes(n)
    if (n > 0) bytes[0] = 1 // version 1, so the rest is read
    if (verifyWriterBinding(bytes, ROOM, WRITER) !== null) random++
  }
  t.is(random, 0, 'no random buffer verifies')
  const odd: unknown[] = [null, undefined, 'text', 42, {}, [1], { version: 1, chain: [] }]
  for (const value of odd) t.is(verifyWriterBinding(value, ROOM, WRITER), null, `${String(value)}`)
  t.is(verifyWriterBinding(binding, ROOM.subarray(1), WRITER), null, 'a short room key')
  t.is(verifyWriterBinding(binding, ROOM, WRITER, { receipt: b4a.alloc(3) }), null, 'a bad receipt')
  t.is(verifyDeviceProof(crypto.randomBytes(139)), null, 'a random device proof')
})

test('identity key: a newer epoch revokes the older one, at 1 s resolution', async (t) => {
  const { identity, binding } = await vouched()
  const restored = keyPair(5)
  const newer = bindWriter(
    ROOM,
    key(0xb5),
    restored,
    await deviceProof(identity, restored.publicKey, { epoch: LATER })
  )
  const receipt = verifyWriterBinding(newer, ROOM, key(0xb5))?.receipt
  t.is(receiptEpoch(receipt), LATER, 'the restored device is of the newer epoch')
  const old = verifyWriterBinding(binding, ROOM, WRITER)
  t.ok(old, 'the old binding verifies alone')
  t.is(verifyWriterBinding(binding, ROOM, WRITER, { receipt }), null, 'not after a newer receipt')
  t.ok(verifyWriterBinding(newer, ROOM, key(0xb5), { receipt: old?.receipt }), 'newer after older')
  t.ok(verifyWriterBinding(binding, ROOM, WRITER, { receipt: old?.receipt }), 'its own epoch')

  const sameSecond = keyPair(6)
  const soon = await deviceProof(identity, sameSecond.publicKey, { epoch: EPOCH + 999 })
  t.is(verifyDeviceProof(soon)?.epoch, EPOCH, '999 ms later is the same epoch')
  t.ok(
    verifyWriterBinding(binding, ROOM, WRITER, { receipt: verifyDeviceProof(soon)?.receipt }),
    'and revokes nothing'
  )
})

test('identity key: verifying reads no clock and gives the same answer every time', async (t) => {
  const { binding } = await vouched()
  const first = verifyWriterBinding(binding, ROOM, WRITER)
  const now = Date.now
  Date.now = () => {
    throw new Error('apply must not read the clock')
  }
  try {
    t.alike(verifyWriterBinding(binding, ROOM, WRITER), first, 'the same result, no clock read')
  } finally {
    Date.now = now
  }
  t.ok(first, 'and it was a result')
})

test('identity key: an existing profile key pair becomes the identity, its key unchanged', async (t) => {
  const profile = keyPair(0x50)
  const identity = identityFromKeyPair(profile)
  t.alike(identity.publicKey, profile.publicKey, 'the profile key is the identity key')
  const device = keyPair(0x51)
  const proof = await deviceProof(identity, device.publicKey)
  const ok = verifyWriterBinding(bindWriter(ROOM, WRITER, device, proof), ROOM, WRITER, {
    identity: profile.publicKey
  })
  t.alike(ok?.identity, profile.publicKey, "a device's binding names the old profile key")
  t.exception(
    () => identityFromKeyPair({ publicKey: profile.publicKey, secretKey: keyPair(0x52).secretKey }),
    /not the public key/,
    'a secret key of another pair is refused'
  )
})
