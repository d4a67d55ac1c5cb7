import test from 'brittle'
import z32 from 'z32'
import type { Member, Message } from '../../src/shared/api/contract.js'
import { MAX_NAME_CHARS } from '../../src/shared/api/errors.js'
import { cleanName, cleanText } from '../../src/shared/text/clean-name.js'
import {
  displayNames,
  labelFor,
  roomNames,
  shownName
} from '../../src/shared/text/display-names.js'
import { nameKey } from '../../src/shared/text/name-key.js'
import { memberLine, memberLines, messageJson, messageLine } from '../../src/cli/format.js'
import { messageFixture } from '../helpers/message-fixture.js'

const MAX = MAX_NAME_CHARS

/** A deterministic z32 profile id starting with `start` (a z32 prefix), like the core's. */
function profileId(start: string, fill = 7): string {
  const tail = z32.encode(Buffer.alloc(32, fill))
  return (start + tail).slice(0, tail.length)
}

/** A small seeded generator (mulberry32): the same strings on every run. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const HOSTILE = [
  ...['\u202a', '\u202b', '\u202c', '\u202d', '\u202e'],
  ...['\u2066', '\u2067', '\u2068', '\u2069'],
  ...['\u200b', '\u200c', '\u200d', '\u200e', '\u200f'],
  ...['\u2060', '\u2061', '\u2062', '\u2063', '\u2064'],
  ...['\ufeff', '\u180e', '\u115f', '\u1160', '\u3164', '\uffa0', '\u034f', '\u00ad', '\u061c'],
  ...['\ufe0f', '\ufe0e', '\u{e0041}', '\u{e0100}', '\u17b4'],
  ...['\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009b', '\u009f'],
  ...['\t', '\n', '\r', '\v', '\f', '\u2028', '\u2029', ' ', '\u00a0', '\u3000', '\u2800'],
  ...['\ud800', '\udc00', '\ud83d', '\udc4d'], // lone surrogate halves
  ...['\u0301', '\u0308', '\u20e3'], // combining marks
  ...['a', 'B', '1', '#', '👨', '👩', '❤', '🏽', 'ب', 'ש', '中']
]

/** Whether a string holds a lone surrogate half. */
function loneSurrogate(s: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)
}

/** Whether a terminal would obey something in the string (a control or bidi character). */
function terminalUnsafe(s: string): boolean {
  return [...s].some((ch) => {
    const cp = ch.codePointAt(0)!
    const control = (cp < 0x20 && cp !== 0x09 && cp !== 0x0a) || (cp >= 0x7f && cp < 0xa0)
    return control || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)
  })
}

function fuzz(seed: number, length: number): string {
  const next = random(seed)
  let s = ''
  for (let i = 0; i < length; i++) s += HOSTILE[Math.floor(next() * HOSTILE.length)]
  return s
}

test('cleanName: bidi overrides and isolates are removed', (t) => {
  for (const ch of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e']) {
    t.is(cleanName(`Bo${ch}b`, MAX), 'Bob', `U+${ch.codePointAt(0)!.toString(16)}`)
  }
  for (const ch of ['\u2066', '\u2067', '\u2068', '\u2069']) {
    t.is(cleanName(`${ch}Bob${ch}`, MAX), 'Bob', `U+${ch.codePointAt(0)!.toString(16)}`)
  }
  t.is(cleanName('\u202egnp.exe', MAX), 'gnp.exe', 'a right-to-left override cannot flip a name')
  t.is(cleanName('\u061cBob\u200e\u200f', MAX), 'Bob', 'bidi marks too')
})

test('cleanName: zero-width and other invisible characters are removed', (t) => {
  const invisible = [
    ['\u200b', 'zero-width space'],
    ['\u200c', 'zero-width non-joiner'],
    ['\u200d', 'zero-width joiner between letters'],
    ['\u200e', 'left-to-right mark'],
    ['\u200f', 'right-to-left mark'],
    ['\u2060', 'word joiner'],
    ['\u2061', 'function application'],
    ['\u2062', 'invisible times'],
    ['\u2063', 'invisible separator'],
    ['\u2064', 'invisible plus'],
    ['\ufeff', 'byte order mark'],
    ['\u180e', 'Mongolian vowel separator'],
    ['\u034f', 'combining grapheme joiner'],
    ['\u00ad', 'soft hyphen'],
    ['\ufe0f', 'variation selector after a letter'],
    ['\u{e0100}', 'variation selector supplement'],
    ['\u{e0041}', 'tag character'],
    ['\u17b4', 'Khmer inherent vowel']
  ]
  for (const [ch, what] of invisible) t.is(cleanName(`Bo${ch}b`, MAX), 'Bob', what)
  for (const filler of ['\u115f', '\u1160', '\u3164', '\uffa0']) {
    t.is(
      cleanName(`Bob${filler}`, MAX),
      'Bob',
      `Hangul filler U+${filler.codePointAt(0)!.toString(16)}`
    )
    t.is(cleanName(filler.repeat(5), MAX), '', 'a name of Hangul fillers only is empty')
  }
})

test('cleanName: C0 and C1 controls are removed; newlines, tabs and odd spaces fold into one space', (t) => {
  for (let cp = 0; cp < 0x20; cp++) {
    const ch = String.fromCharCode(cp)
    const expected = '\t\n\v\f\r'.includes(ch) ? 'Bo b' : 'Bob'
    t.is(cleanName(`Bo${ch}b`, MAX), expected, `U+${cp.toString(16).padStart(4, '0')}`)
  }
  for (let cp = 0x7f; cp < 0xa0; cp++) {
    const expected = cp === 0x85 ? 'Bo b' : 'Bob'
    t.is(cleanName(`Bo${String.fromCharCode(cp)}b`, MAX), expected, `U+${cp.toString(16)}`)
  }
  t.is(cleanName('\x1b[31mBob\x1b[0m', MAX), '[31mBob[0m', 'an escape sequence loses its escape')
  t.is(cleanName('  Bob \n\t Smith  ', MAX), 'Bob Smith', 'trimmed, the run folded')
  t.is(cleanName('Bob\u2028Smith\u2029', MAX), 'Bob Smith', 'line and paragraph separators')
  t.is(
    cleanName('Bob\u00a0\u3000\u2800Smith', MAX),
    'Bob Smith',
    'no-break, ideographic, braille blank'
  )
  t.is(cleanName('Bob \u200b Smith', MAX), 'Bob Smith', 'an invisible between spaces leaves one')
})

test('cleanText: keeps line breaks when asked, each line trimmed, at most one blank line', (t) => {
  t.is(cleanText('  one \r\n two\t\tthree \n', 512, true), 'one\ntwo three')
  t.is(cleanText('one\n\n\n\n\ntwo', 512, true), 'one\n\ntwo', 'blank lines fold into one')
  t.is(cleanText('one\r\rtwo\u2028three', 512, true), 'one\n\ntwo\nthree', 'CR, LS count as breaks')
  t.is(cleanText('\n\n  one\n \u200b \n', 512, true), 'one', 'no leading or trailing lines')
  t.is(cleanText('one\ntwo', 512), 'one two', 'by default a line break is a space')
  t.is(cleanText('one\u202e\ntwo', 512, true), 'one\ntwo', 'still cleaned line by line')
})

test('cleanName: the cap counts code points and never splits a surrogate pair', (t) => {
  t.is(cleanName('😀'.repeat(100), 3), '😀😀😀', 'astral characters count once')
  t.is(cleanName('a😀b', 2), 'a😀')
  const long = cleanName('x'.repeat(65536), MAX)
  t.is(long.length, MAX, '64 KiB cut to the cap')
  for (let cap = 0; cap < 12; cap++) {
    const cut = cleanName('a😀👍🏽中𝐁b😀', cap)
    t.absent(loneSurrogate(cut), `cap ${cap}: no lone surrogate`)
    t.ok([...cut].length <= cap, `cap ${cap}: within the cap`)
  }
  t.is(cleanName('Bob      Smith', 4), 'Bob', 'no trailing space after the cut')
  t.is(cleanName('\u200b'.repeat(1000) + 'Bob', 3), 'Bob', 'invisible characters do not count')
  t.is(cleanName('Bob', 0), '')
  t.is(cleanName('Bob', -1), '')
  t.is(cleanName('Bob', Number.NaN), '', 'a nonsense cap is 0')
  t.is(cleanName('Bob', 2.9), 'Bo', 'a fractional cap rounds down')
})

test('cleanName: lone surrogates are removed, and never pair up by what is removed between', (t) => {
  t.is(cleanName('Bo\ud800b', MAX), 'Bob')
  t.is(cleanName('Bo\udc00b', MAX), 'Bob')
  t.is(cleanName('\ud83d\u200b\udc4d', MAX), '', 'two halves around a removed character')
  t.is(cleanName('👍', MAX), '👍', 'a real pair stays')
})

test('cleanName: a name of only invisible characters cleans to empty (the caller rejects it)', (t) => {
  t.is(cleanName('', MAX), '')
  t.is(cleanName('   \t\n ', MAX), '')
  t.is(cleanName('\u200b\u200d\u2060\ufeff\u202e\u2066\u3164\u115f\u180e\u034f\u0000', MAX), '')
  t.is(cleanName('\ufe0f\u200d\ufe0f', MAX), '', 'stray emoji joiners and selectors too')
})

test('cleanName: ordinary names in many scripts survive unchanged', (t) => {
  const names = [
    'Alice',
    'Zoë Ångström-Ødegaard',
    'José María',
    'Nguyễn Thị Minh Khai',
    'محمد بن سلمان',
    'فاطمة الزهراء',
    'דוד בן גוריון',
    'Ελένη Παπαδοπούλου',
    'Дмитрий Шостакович',
    '王小明',
    '山田 太郎',
    '김민준',
    'สมชาย ใจดี',
    'देवनागरी नाम',
    'ትግርኛ',
    "O'Brien (work)",
    'Bob 👍🏽',
    '👍🏽',
    'Family 👨‍👩‍👧',
    '🏳️‍🌈 Pride',
    '🧑🏽‍💻 dev',
    '❤️‍🔥',
    '🇬🇧🇯🇵',
    '1️⃣ first',
    'Zalgo z̴̡̛̗'
  ]
  for (const name of names) t.is(cleanName(name, MAX), name, name)
  t.is(
    cleanText('Release notes\n\n– fixed ☕ bugs\n– שלום', 512, true),
    'Release notes\n\n– fixed ☕ bugs\n– שלום'
  )
})

test('cleanName: emoji joiners and selectors stay only where they join or present an emoji', (t) => {
  t.is(cleanName('A\u200dB', MAX), 'AB', 'no joiner between letters')
  t.is(cleanName('👨\u200d', MAX), '👨', 'no trailing joiner')
  t.is(cleanName('👨 \u200d👩', MAX), '👨 👩', 'no joiner after a space')
  t.is(cleanName('B\ufe0fob', MAX), 'Bob', 'no selector on a letter')
  t.is(cleanName('1\ufe0f', MAX), '1', 'no selector on a digit without a keycap')
  t.is(cleanName('👨‍👩‍👧‍👦', 4), '👨‍👩', 'cut inside a sequence: no joiner left dangling')
  t.is(cleanName('1️⃣', 2), '1', 'cut inside a keycap: no selector left dangling')
})

test('cleanName: combining marks stack at most four deep', (t) => {
  const zalgo = 'Z' + '\u0301\u0308\u0323\u0330\u0345\u0359\u0361'.repeat(20) + 'oe'
  const cleaned = cleanName(zalgo, MAX)
  t.is(cleaned, 'Z\u0301\u0308\u0323\u0330oe')
  t.is(cleanName('e\u0301\u200b\u0301\u0301\u0301\u0301', MAX), 'e\u0301\u0301\u0301\u0301')
})

test('cleanName is idempotent and total: cleaning a cleaned string changes nothing', (t) => {
  let checked = 0
  for (let seed = 1; seed <= 3000; seed++) {
    const raw = fuzz(seed, 1 + (seed % 40))
    for (const cap of [MAX, 1 + (seed % 9)]) {
      const once = cleanName(raw, cap)
      if (cleanName(once, cap) !== once) t.fail(`seed ${seed}, cap ${cap}: ${JSON.stringify(raw)}`)
      if (loneSurrogate(once)) t.fail(`seed ${seed}: a lone surrogate`)
      if (once !== once.trim()) t.fail(`seed ${seed}: not trimmed`)
      if ([...once].length > cap) t.fail(`seed ${seed}: over the cap`)
      const text = cleanText(raw, cap * 8, true)
      if (cleanText(text, cap * 8, true) !== text)
        t.fail(`seed ${seed}: text ${JSON.stringify(raw)}`)
      checked++
    }
  }
  t.is(checked, 6000, 'thousands of hostile strings, each a fixed point after one clean')
  const big = fuzz(7, 65536)
  t.is(cleanName(cleanName(big, 1 << 20), 1 << 20), cleanName(big, 1 << 20), 'and 64 Ki of them')
})

test('nameKey: names that could pass for each other compare equal', (t) => {
  t.is(nameKey('Bob'), nameKey('bob'), 'case')
  t.is(nameKey('Bob'), nameKey('Воb'), 'Cyrillic В and о')
  t.is(nameKey('Alice'), nameKey('Аlicе'), 'Cyrillic а and е')
  t.is(nameKey('Bob'), nameKey('Ｂｏｂ'), 'fullwidth')
  t.is(nameKey('Bob'), nameKey('𝐁𝐨𝐛'), 'mathematical bold')
  t.is(nameKey('Bill'), nameKey('BiII'), 'l, i and I')
  t.is(nameKey('Zoë'), nameKey('Zoe'), 'accents')
  t.is(nameKey('Zoë'), nameKey('Zoe\u0308'), 'composed or not')
  t.is(nameKey('modern'), nameKey('rnodern'), 'rn and m')
  t.not(nameKey('Bob'), nameKey('Rob'))
})

const BOB_1 = profileId('qpw1', 1)
const BOB_2 = profileId('ybnd', 2)
const ALICE = profileId('kmcp', 3)

test('displayNames: unique names stay; the same name gets the first 4 characters of the key', (t) => {
  const names = displayNames([
    { id: BOB_1, name: 'Bob' },
    { id: BOB_2, name: 'Bob' },
    { id: ALICE, name: 'Alice' }
  ])
  t.is(names.get(BOB_1), 'Bob (qpw1)')
  t.is(names.get(BOB_2), 'Bob (ybnd)')
  t.is(names.get(ALICE), 'Alice', 'a unique name stays as it is')
  t.is(displayNames([{ id: BOB_1, name: 'Bob' }]).get(BOB_1), 'Bob', 'one Bob is just Bob')
})

test('displayNames: longer suffixes when 4 characters do not tell the keys apart', (t) => {
  const a = profileId('qpw1abcd', 1)
  const b = profileId('qpw1abxy', 2)
  const c = profileId('zzzz', 3)
  const names = displayNames([
    { id: a, name: 'Sam' },
    { id: b, name: 'Sam' },
    { id: c, name: 'Sam' }
  ])
  t.is(names.get(a), 'Sam (qpw1abc)', 'a key ground to share 6 characters shows 7')
  t.is(names.get(b), 'Sam (qpw1abx)')
  t.is(names.get(c), `Sam (${c.slice(0, 7)})`, 'the group shares one length')
  t.is(new Set(names.values()).size, 3, 'all different')
})

test('displayNames: lookalikes, suffix-like names and bare ids cannot pass for someone else', (t) => {
  const mallory = profileId('mmmm', 9)
  const lookalike = displayNames([
    { id: BOB_1, name: 'Bob' },
    { id: mallory, name: 'В\u200bоb ' }
  ])
  t.is(lookalike.get(BOB_1), 'Bob (qpw1)', 'a Cyrillic, zero-width Bob makes Bob show his key')
  t.is(lookalike.get(mallory), 'Воb (mmmm)', 'and shows hers, cleaned')

  const pretender = displayNames([
    { id: BOB_1, name: 'Bob' },
    { id: BOB_2, name: 'Bob' },
    { id: mallory, name: 'Bob (qpw1)' }
  ])
  t.is(pretender.get(BOB_1), 'Bob (qpw1)')
  t.is(pretender.get(mallory), 'Bob (qpw1) (mmmm)', 'a name that looks like a label gets a key')

  const nameless = displayNames([
    { id: BOB_1, name: '' },
    { id: mallory, name: BOB_1.slice(0, 8) }
  ])
  t.is(nameless.get(BOB_1), BOB_1.slice(0, 8), 'no name: the short id')
  t.is(nameless.get(mallory), `${BOB_1.slice(0, 8)} (mmmm)`, 'a name that is someone’s short id')
})

test('displayNames: empty, invisible, huge and odd names; duplicates; authors after members', (t) => {
  const huge = 'B'.repeat(64 * 1024)
  const names = displayNames([
    { id: BOB_1, name: '' },
    { id: BOB_2, name: '\u200b\u202e\u3164' },
    { id: ALICE, name: huge },
    { id: ALICE, name: 'ignored: the first entry for an id wins' }
  ])
  t.is(names.get(BOB_1), BOB_1.slice(0, 8), 'an empty name shows the short id')
  t.is(names.get(BOB_2), BOB_2.slice(0, 8), 'so does one that cleans to empty')
  t.is(names.get(ALICE), 'B'.repeat(MAX - 1) + '…', 'a huge name is cut, with an ellipsis')
  t.is(names.size, 3)
  t.is(shownName('a\u202eb'), 'ab')
  t.is(displayNames([]).size, 0)
  const garbage = displayNames([{ id: 42, name: null } as unknown as { id: string; name: string }])
  t.is(garbage.size, 1, 'not even strings: no throw')
})

function member(id: string, name: string, extra: Partial<Member> = {}): Member {
  return { id, name, role: 'member', removed: false, isMe: false, ...extra }
}

function msg(author: string, authorName: string, text: string): Message {
  return messageFixture({
    room: 'r1',
    author,
    authorName,
    text,
    timestamp: Date.UTC(2026, 0, 2, 10, 0, 0)
  })
}

test('cli format: members and authors who share a name are told apart', (t) => {
  const members = [member(BOB_1, 'Bob', { role: 'admin', isMe: true }), member(BOB_2, 'Bob')]
  t.alike(memberLines(members), [
    `${BOB_1}  Bob (qpw1)  admin  (you)`,
    `${BOB_2}  Bob (ybnd)  member`
  ])
  const names = roomNames(members)
  t.is(messageLine(msg(BOB_2, 'Bob', 'hi'), names), '[2026-01-02 10:00:00] Bob (ybnd): hi')
  t.is(messageLine(msg(BOB_2, 'Bob', 'hi')), '[2026-01-02 10:00:00] Bob: hi', 'alone, just Bob')
  const withAuthors = roomNames([member(BOB_1, 'Bob')], [msg(BOB_2, 'Bob', 'hi')])
  t.is(withAuthors.get(BOB_2), 'Bob (ybnd)', 'an author not yet among the members counts too')
  t.is(labelFor(withAuthors, BOB_1, 'whatever'), 'Bob (qpw1)', 'labelFor: the label in the map')
  t.is(labelFor(null, BOB_1, ''), BOB_1.slice(0, 8), 'labelFor: else the name alone')
  t.is(memberLine(member(ALICE, ''), names), `${ALICE}  ${ALICE.slice(0, 8)}  member`)
})

test('cli format: any string prints without throwing and without terminal escapes', (t) => {
  const hostile = msg(BOB_1, '\x1b]0;pwned\x07Bob\u202e', 'a\x1b[2Jb\u202ec\td\ne\u0000')
  const line = messageLine(hostile)
  t.is(line, '[2026-01-02 10:00:00] ]0;pwnedBob: a[2Jbc\td\ne')
  t.absent(terminalUnsafe(line), 'nothing a terminal obeys')
  t.alike(Object.keys(messageJson(hostile)).sort(), Object.keys(hostile).sort(), 'every field')
  t.is(messageJson(hostile).authorName, hostile.authorName, 'JSON keeps the raw name')
  const huge = 'x'.repeat(64 * 1024)
  t.ok(messageLine(msg(huge, huge, huge)).length > 64 * 1024, 'a 64 KiB message prints whole')
  t.ok(memberLine(member(huge, huge)).length < 3 * 64 * 1024)
  t.ok(messageLine({ ...msg('', '', ''), timestamp: Number.NaN }).includes('????'), 'a bad time')
})
