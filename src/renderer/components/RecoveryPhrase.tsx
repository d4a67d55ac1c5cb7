/** The 24 words of a recovery phrase, numbered, in reading order; any value renders. */
export function RecoveryPhrase({ phrase }: { phrase: unknown }) {
  const words = typeof phrase === 'string' ? phrase.split(/\s+/).filter((w) => w !== '') : []
  return (
    <ol className="recovery-phrase" data-testid="recovery-phrase">
      {words.slice(0, 48).map((word, i) => (
        <li key={i} className="recovery-word">
          <span className="recovery-number">{i + 1}</span>
          <bdi>{word.slice(0, 32)}</bdi>
        </li>
      ))}
    </ol>
  )
}
