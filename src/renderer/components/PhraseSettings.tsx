import { useState } from 'react'
import { errorInfo } from '../util/error-text'
import type { ErrorInfo } from '../state/types'
import { ErrorNote } from './ErrorNote'
import { RecoveryPhrase } from './RecoveryPhrase'

/** Settings → Recovery phrase: the words, only after the person confirms nobody is looking. */
export function PhraseSettings({ onShow }: { onShow: () => Promise<string> }) {
  const [step, setStep] = useState<'hidden' | 'confirm' | 'shown'>('hidden')
  const [phrase, setPhrase] = useState<string | null>(null)
  const [error, setError] = useState<ErrorInfo | null>(null)
  const show = (): void => {
    onShow().then(
      (words) => {
        setPhrase(words)
        setStep('shown')
      },
      (err: unknown) => setError(errorInfo(err))
    )
  }
  return (
    <section className="settings-section">
      <h3 className="section-title">Recovery phrase</h3>
      <p className="muted small">
        The 24 words your profile comes from: with them you get it back on a new device.
      </p>
      {error !== null && <ErrorNote error={error} />}
      {step === 'hidden' && (
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
