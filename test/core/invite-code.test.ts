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

test('invite codes: any text holding exactly one invite is accepted, none or two are refused', (t) => {
  const roomKey = crypto.randomBytes(32)
  const discoveryKey = crypto.discoveryKey(roomKey)
  const code = encodeInviteCode(BlindPairing.createInvite(roomKey).invite, crypto.randomBytes(32))
  const link = 'roost://invite/' + code
  const accepted: Array<[string, string]> = [
    [code.slice(0, 64) + '\n' + code.slice(64), 'a code an email wrapped'],
    [
      '> ' + code.slice(0, 50) + '\r\n> ' + code.slice(50, 120) + '\n' + code.slice(120),
      'wrapped and quoted with > over three lines'
    ],
    [`"${code}"`, 'in double quotes'],
    [`“${link}”`, 'a link in curly quotes'],
    [code.toUpperCase(), 'in upper case'],
    [`Join my room: ${link} see you there`, 'a sentence around the link'],
    [`${link}\n(or paste ${code})`, 'its link and its code'],
    [`Join: ${link.slice(0, 70)}\n${link.slice(70)}\nsee you`, 'a wrapped link before a next line']
  ]
  for (const [text, what] of accepted) {
    t.alike(parseInviteCode(text).discoveryKey, discoveryKey, what)
  }
  const other = encodeInviteCode(BlindPairing.createInvite(crypto.randomBytes(32)).invite, null)
  rejectsInvalid(t, 'see you there', 'a text with no invite')
  rejectsInvalid(t, '   ', 'only spaces')
  rejectsInvalid(t, `${code} or ${other}`, 'two different invites')
  rejectsInvalid(t, code.slice(0, 80), 'half a code')
  rejectsInvalid(t, code.slice(0, 60) + ' ' + code.slice(60), 'a code with a space in it')
})
