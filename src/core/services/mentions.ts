import { RoostError } from '../../shared/api/errors.js'
import { MAX_MENTIONS } from '../rooms/apply-conversation.js'
import type { JoinedRoom } from '../rooms/joined-room.js'
import { decodeKey, expectString } from '../validate.js'

/**
 * The profiles a send or an edit mentions, as apply accepts them: members of the room, each
 * once (repeats dropped), at most MAX_MENTIONS; null for none.
 */
export async function mentionsOf(joined: JoinedRoom, value: unknown): Promise<Buffer[] | null> {
  if (value === undefined || value === null) return null
  if (!Array.isArray(value))
    throw RoostError.invalidArgument('mentions must be a list of profile ids')
  const ids = [...new Set(value.map((v) => expectString(v, 'mention')))]
  if (ids.length > MAX_MENTIONS)
    throw RoostError.invalidArgument(`A message mentions at most ${MAX_MENTIONS} members`)
  const keys: Buffer[] = []
  for (const id of ids) {
    const key = decodeKey(id)
    if (key === null || (await joined.room.member(key)) === null)
      throw RoostError.memberNotFound(id)
    keys.push(key)
  }
  return keys.length === 0 ? null : keys
}
