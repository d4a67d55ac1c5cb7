import { MAX_NAME_CHARS } from '../api/errors.js'
import { cleanName } from './clean-name.js'
import { nameKey } from './name-key.js'

/** Characters of the profile id after a name that is not unique (`Bob (qpw1)`), at least. */
export const SUFFIX_CHARS = 4
/** Characters of the profile id shown for someone with no name, at least. */
export const NAMELESS_CHARS = 8

export interface Named {
  /** The profile id (z32). */
  id: string
  name: string
}

/** Ends like a key suffix, `(qpw1)`: such a name gets a real one, so it cannot pass for another. */
const SUFFIX_LIKE = /[([]\s*[a-z0-9]{4,}\s*[)\]]$/

function str(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** A name as clients show it: cleaned, at most MAX_NAME_CHARS, with an ellipsis where it was cut. */
export function shownName(name: string): string {
  const raw = str(name)
  const shown = cleanName(raw, MAX_NAME_CHARS)
  if (cleanName(raw, MAX_NAME_CHARS + 1) === shown) return shown
  return cleanName(raw, MAX_NAME_CHARS - 1) + '…'
}

/** The shortest prefix length (at least `min`) that tells every id of the group apart. */
function prefixLength(ids: string[][], min: number): number {
  const longest = Math.max(...ids.map((id) => id.length))
  for (let n = min; n < longest; n++) {
    if (new Set(ids.map((id) => id.slice(0, n).join(''))).size === ids.length) return n
  }
  return longest
}

interface Entry {
  /** As given: the key of the result. */
  id: string
  /** As shown in a suffix, by code point. */
  printable: string[]
  shown: string
  key: string
}

/**
 * What to call each member, by profile id. A name no one else has (nor anything like it) stays as
 * it is; names that could be taken for each other get the first characters of the profile id
 * (`Bob (qpw1)`, more than 4 when 4 do not tell them apart); someone with no name shows as the
 * start of their id. For the first entry of an id; later entries with the same id are ignored, so
 * a room's members can be followed by the authors of its messages (who may not be loaded yet).
 */
export function displayNames(members: readonly Named[]): Map<string, string> {
  const entries = new Map<string, Entry>()
  for (const member of members) {
    const id = str(member.id)
    if (entries.has(id)) continue
    const shown = shownName(member.name)
    const printable = [...cleanName(id, Infinity)]
    entries.set(id, { id, printable, shown, key: shown === '' ? '' : nameKey(shown) })
  }

  const count = new Map<string, number>()
  for (const e of entries.values()) count.set(e.key, (count.get(e.key) ?? 0) + 1)
  const suffixed = new Set<Entry>()
  for (const e of entries.values()) {
    if (e.key === '' || count.get(e.key)! > 1 || SUFFIX_LIKE.test(e.key)) suffixed.add(e)
  }

  let labels = new Map<string, string>()
  for (;;) {
    labels = labelsOf(entries, suffixed)
    // a plain name must not pass for another's label either ("Bob (qpw1)", or a bare short id)
    const taken = new Set([...suffixed].map((e) => nameKey(labels.get(e.id)!)))
    const clashing = [...entries.values()].filter((e) => !suffixed.has(e) && taken.has(e.key))
    if (clashing.length === 0) return labels
    for (const e of clashing) suffixed.add(e)
  }
}

/** The labels for a room: its members (removed ones too), then any message author not among them. */
export function roomNames(
  members: readonly Named[],
  messages: readonly { author: string; authorName: string }[] = []
): Map<string, string> {
  return displayNames([...members, ...messages.map((m) => ({ id: m.author, name: m.authorName }))])
}

/** Someone's label in `names`, or (not there) what their name alone shows as. */
export function labelFor(
  names: ReadonlyMap<string, string> | null,
  id: string,
  name: string
): string {
  return names?.get(id) ?? displayNames([{ id, name }]).get(id) ?? ''
}

function labelsOf(entries: Map<string, Entry>, suffixed: Set<Entry>): Map<string, string> {
  const groups = new Map<string, Entry[]>()
  for (const e of suffixed) {
    const group = groups.get(e.key)
    if (group === undefined) groups.set(e.key, [e])
    else group.push(e)
  }
  const labels = new Map<string, string>()
  for (const e of entries.values()) if (!suffixed.has(e)) labels.set(e.id, e.shown)
  for (const [key, group] of groups) {
    const n = prefixLength(
      group.map((e) => e.printable),
      key === '' ? NAMELESS_CHARS : SUFFIX_CHARS
    )
    for (const e of group) {
      const prefix = e.printable.slice(0, n).join('')
      labels.set(e.id, e.shown === '' ? prefix : `${e.shown} (${prefix})`)
    }
  }
  return labels
}
