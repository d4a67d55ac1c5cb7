import b4a from 'b4a'
import type { Room } from '../../../src/core/rooms/room.js'
import { isMessageId } from '../../../src/core/rooms/apply.js'
import { MAX_TIMESTAMP } from '../../../src/core/rooms/apply-context.js'
import { ROLE, type StoredEpochBox, type StoredMessage } from '../../../src/core/rooms/ops.js'
import {
  MAX_MESSAGE_BYTES,
  MAX_NAME_CHARS,
  MAX_TOPIC_CHARS
} from '../../../src/shared/api/errors.js'
import { cleanName, cleanText } from '../../../src/shared/text/clean-name.js'
import { isReactionEmoji } from '../../../src/shared/text/reaction-emoji.js'
import { MAX_SEALED_DESCRIPTOR_BYTES } from '../../../src/core/files/file-descriptor.js'
import { MAX_EMOJI_PER_MESSAGE, MAX_MENTIONS } from '../../../src/core/rooms/apply-conversation.js'

const time = (ts: number): boolean => Number.isSafeInteger(ts) && ts >= 0 && ts <= MAX_TIMESTAMP
const name = (n: string): boolean => n.length > 0 && cleanName(n, MAX_NAME_CHARS) === n

/**
 * Every record of the view against the bounds apply promises (docs/ARCHITECTURE.md, "Every op
 * bounded"): one line per record that breaks one. A bound apply lost shows up here even where
 * the clients would format the value defensively.
 */
export async function viewViolations(room: Room): Promise<string[]> {
  const out: string[] = []
  const bad = (what: string, record: unknown): void => {
    out.push(`${what}: ${JSON.stringify(record)?.slice(0, 200)}`)
  }
  const epochs = await room.epochs()
  const known = new Set(epochs.map((e) => b4a.toString(e.id, 'hex')))
  const { messages } = await room.messagesBefore(null, 1_000_000)
  const fileSeqs = new Set((await room.fileMessages(1_000_000)).map((m) => m.seq))
  for (const m of messages as StoredMessage[]) {
    if (!time(m.timestamp)) bad('message timestamp', m.timestamp)
    if (m.text !== '') bad('message text in the clear', m.id)
    if (m.replyTo !== null && m.replyTo !== undefined && !isMessageId(m.replyTo))
      bad('reply id', m.replyTo)
    if (!m.epoch || !known.has(b4a.toString(m.epoch, 'hex'))) bad('epoch', m.id)
    if (m.editedAt && !time(m.editedAt)) bad('edit time', m.editedAt)
    if ((m.mentions?.length ?? 0) > MAX_MENTIONS) bad('mentions', m.mentions?.length)
    if (m.deleted === true) {
      if (m.nonce || m.ciphertext || m.pinned || m.reactions?.length || m.file)
        bad('tombstone keeps', m.id)
      continue
    }
    if (!m.nonce || m.nonce.length !== 24) bad('nonce', m.id)
    const sealed = (m.ciphertext?.length ?? 0) - 16
    // a file's caption may be empty
    if (sealed < (m.file ? 0 : 1) || sealed > MAX_MESSAGE_BYTES) bad('ciphertext size', sealed)
    if (m.file) {
      if (!m.fileNonce || m.fileNonce.length !== 24) bad('file nonce', m.id)
      if (m.file.length <= 16 || m.file.length > MAX_SEALED_DESCRIPTOR_BYTES)
        bad('file record size', m.file.length)
      if (!fileSeqs.has(m.seq)) bad('file message not listed', m.id)
    } else if (m.fileNonce) bad('file nonce without a file', m.id)
    const reactions = m.reactions ?? []
    if (reactions.length > MAX_EMOJI_PER_MESSAGE) bad('emoji on a message', reactions.length)
    for (const r of reactions) {
      if (!isReactionEmoji(r.emoji)) bad('reaction emoji', r.emoji)
      const who = r.profiles.map((p) => b4a.toString(p, 'hex'))
      if (who.length === 0 || new Set(who).size !== who.length) bad('reaction profiles', r.emoji)
    }
  }
  for (const m of await room.members()) {
    if (!name(m.name)) bad('member name', m.name)
    if (m.role !== ROLE.ADMIN && m.role !== ROLE.MEMBER) bad('role', m.role)
  }
  for (const i of await room.invites()) {
    if (i.id.length === 0 || i.id.length > 64) bad('invite id', i.id.length)
    if (!time(i.expires)) bad('invite expiry', i.expires)
    if (!Number.isSafeInteger(i.uses) || !Number.isSafeInteger(i.used)) bad('invite uses', i)
  }
  const info = await room.info()
  if (info !== null) {
    if (!name(info.name)) bad('room name', info.name)
    if (cleanText(info.topic, MAX_TOPIC_CHARS, true) !== info.topic) bad('topic', info.topic)
  }
  for (const w of await room.writers()) {
    for (const box of (await room.epochBoxesOf(w.key)) as StoredEpochBox[]) {
      if (box.box.length !== 80) bad('epoch box', box.box.length)
      if (!known.has(b4a.toString(box.epoch, 'hex'))) bad('box of an unknown epoch', w.key)
    }
  }
  return out
}
