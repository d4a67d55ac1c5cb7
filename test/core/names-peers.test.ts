import test from 'brittle'
import { encodeOp } from '../../src/core/rooms/ops.js'
import { MAX_NAME_CHARS, MAX_TOPIC_CHARS } from '../../src/shared/api/errors.js'
import { cleanName, cleanText } from '../../src/shared/text/clean-name.js'
import { appendRaw, createLoopbackTestnet, roomWithMembers, untilRoom } from '../helpers/index.js'

const OPTS = { timeout: 90_000 }

// written past the API, as a modified client would: bidi overrides, isolates, zero-width
// characters, a Hangul filler, control characters and far too many characters
const HOSTILE_NAME = '\u202Eevil\u202C\u200B bob\u2066\u2069\u3164\u0007' + 'x'.repeat(200)
const HOSTILE_ROOM = '\u200Dgen\u202Eeral\u0000\u061C'
const HOSTILE_TOPIC = 'line one\u2028\u202Aline two\u200F\n\n\n' + 'y'.repeat(2000)

test(
  'names with bidi and zero-width characters are cleaned identically on every peer',
  OPTS,
  async (t) => {
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'carol'])
    const [alice, bob] = peers
    await appendRaw(bob, room, [encodeOp('@roost/profile-update', { name: HOSTILE_NAME })])
    await appendRaw(alice, room, [
      encodeOp('@roost/room-info', { name: HOSTILE_ROOM, topic: HOSTILE_TOPIC })
    ])
    const bobId = (await bob.profile())?.id as string
    const wantName = cleanName(HOSTILE_NAME, MAX_NAME_CHARS)
    const wantRoom = cleanName(HOSTILE_ROOM, MAX_NAME_CHARS)
    const wantTopic = cleanText(HOSTILE_TOPIC, MAX_TOPIC_CHARS, true)
    t.ok(wantName.length > 0 && wantName !== HOSTILE_NAME, 'the name is cleaned, not refused')

    await untilRoom(peers, room, async () => {
      for (const p of peers) {
        const name = (await p.members(room)).find((m) => m.id === bobId)?.name
        const info = await p.room(room)
        if (name !== wantName || info.name !== wantRoom || info.topic !== wantTopic) return false
      }
      return true
    })
    for (const p of peers) {
      const name = (await p.members(room)).find((m) => m.id === bobId)?.name ?? ''
      t.is(name, wantName, 'the same cleaned name on every peer')
      t.absent(
        // eslint-disable-next-line no-control-regex -- control characters are what it looks for
        /[\u202A-\u202E\u2066-\u2069\u200B-\u200F\u3164\u0000-\u001F]/.test(name),
        'nothing invisible'
      )
      t.ok([...name].length <= MAX_NAME_CHARS, 'capped')
      const info = await p.room(room)
      t.is(info.name, wantRoom, 'the same room name')
      t.is(info.topic, wantTopic, 'the same topic')
    }
  }
)
