import test from 'brittle'
import { isReactionEmoji } from '../../src/shared/text/reaction-emoji.js'

test('a reaction is one emoji: sequences, skin tones, keycaps and flags are; words and pairs are not', (t) => {
  for (const emoji of ['👍', '❤️', '👍🏽', '👨‍👩‍👧‍👦', '🏳️‍🌈', '1️⃣', '#⃣', '🇳🇱', '🏴󠁧󠁢󠁳󠁣󠁴󠁿', '‼️', '©️']) {
    t.ok(isReactionEmoji(emoji), `${emoji} is one`)
  }
  const not = [
    '',
    'a',
    'ok',
    '1',
    ' ',
    '\u200b',
    '👍👍',
    '🇳',
    '🇳🇱🇳🇱',
    '\u200d👍',
    '👍\u200d',
    '\ufe0f',
    '🏽',
    '\u0301',
    '👍 ',
    '😀'.repeat(20),
    'x'.repeat(10 * 1024),
    '\ud83d'
  ]
  for (const value of not)
    t.absent(isReactionEmoji(value), `${JSON.stringify(value).slice(0, 24)} is not`)
  t.absent(isReactionEmoji(42), 'a number is not')
  t.absent(isReactionEmoji(null), 'nor null')
})
