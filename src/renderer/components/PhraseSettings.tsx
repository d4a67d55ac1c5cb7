import { useState } from 'react'
import { errorInfo } from '../util/error-text'
import type { ErrorInfo } from '../state/types'
import { ErrorNote } from './ErrorNote'
import { RecoveryPhrase } from './RecoveryPhrase'

/** Why this device has no words to show: linked from another device, or made before phrases. */
const NO_WORDS_HERE: ReadonlySet<ErrorInfo['code']> = new Set(['NO_IDENTITY_SECRET', 'NO_PHRASE'])

/**
 * Settings → Recovery phrase: the words, only after the person confirms nobody is looking. A
 * device that holds none (linked from another) says where they are instead.
 */
export function PhraseSettings({ onShow }: { onShow: () => Promise<string> }) {
  const [step, setStep] = useState<'hidden' | 'confirm' | 'shown'>('hidden')
  const [phrase, setPhrase] = useState<string | null>(null)
  const [error, setError] = useState<ErrorInfo | null>(null)
  const noWordsHere = error !== null && NO_WORDS_HERE.has(error.code)
  const show = (): void => {
    onShow().then(
      (words) => {
        setError(null)
        setPhrase(words)
        setStep('shown')
      },
      (err: unknown) => {
        const info = errorInfo(err)
        setError(info)
        if (NO_WORDS_HERE.has(info.code)) setStep('hidden')
      }
    )
  }
  return (
    <section className="settings-section" data-testid="settings-phrase">
      <h3 className="section-title">Recovery phrase</h3>
      <p className="muted small">
        The 24 words your profile comes from: with them you get it back on a new device.
      </p>
      {error !== null && noWordsHere && (
        <p
          className="info-note small"
          role="status"
          data-testid="settings-phrase-elsewhere"
          data-code={error.code}
        >
          {error.message}
        </p>
      )}
      {error !== null && !noWordsHere && <ErrorNote error={error} />}
      {step === 'hidden' && !noWordsHere && (
        <button
          type="button"
          className="button"
          data-testid="settings-phrase-open"
          onClick={() => setStep('confirm')}
        >
          Show recovery phrase
        </button>
      )}
      {step === 'confirm' && (
        <div>
          <p className="small">
            Anyone who sees these words can be you. Show them only where nobody is looking.
          </p>
          <button
            type="button"
            className="button danger"
            data-testid="settings-phrase-show"
            onClick={show}
          >
            Show the words
          </button>{' '}
          <button type="button" className="button ghost" onClick={() => setStep('hidden')}>
            Cancel
          </button>
        </div>
      )}
      {step === 'shown' && phrase !== null && (
        <>
          <RecoveryPhrase phrase={phrase} />
          <button
            type="button"
            className="button"
            data-testid="settings-phrase-hide"
            onClick={() => {
              setPhrase(null)
              setStep('hidden')
            }}
          >
            Hide
          </button>
        </>
      )}
    </section>
  )
}
