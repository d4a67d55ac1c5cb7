import test, { type Test } from 'brittle'
import BlindPairing from 'blind-pairing'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import { encodeInviteCode, parseInviteCode } from '../../src/core/invites/invite-code.js'

function rejectsInvalid(t: Test, code: string, what: string) {
  try {
    parseInviteCode(code)
    t.fail(`${what}: accepted`)
  } catch (err) {
    t.is((err as { code?: string }).code, 'INVITE_INVALID', what)
  }
}

test('invite codes: a relay hint round-trips; codes without one still parse; tampering is refused', (t) => {
  const roomKey = crypto.randomBytes(32)
  const { invite } = BlindPairing.createInvite(roomKey)
  const discoveryKey = crypto.discoveryKey(roomKey)
  const relay = crypto.randomBytes(32)

  const plain = parseInviteCode(encodeInviteCode(invite, null))
  t.alike(plain.discoveryKey, discoveryKey, 'a code without a relay hint parses')
  t.is(plain.relay, null, 'and has no relay')

  const hinted = parseInviteCode(encodeInviteCode(invite, relay))
  t.alike(hinted.relay, relay, 'the relay hint comes back')
  t.alike(hinted.invite, invite, 'the blind-pairing invite without the hint')
  t.alike(hinted.discoveryKey, discoveryKey)

  const bytes = z32.decode(encodeInviteCode(invite, relay))
  rejectsInvalid(t, z32.encode(bytes.subarray(0, bytes.length - 1)), 'a truncated hint')
  rejectsInvalid(t, z32.encode(Buffer.concat([bytes, Buffer.from([0])])), 'a byte after the hint')
  const wrongTag = Buffer.from(bytes)
  wrongTag[invite.length] = 7
  rejectsInvalid(t, z32.encode(wrongTag), 'an unknown hint tag')
})
