import { useEffect, useState } from 'react'
import { Icon } from './Icon'

export interface CopyButtonProps {
  text: string
  label: string
  testId?: string
  /** Only the icon shows; the label is its accessible name and tooltip. */
  compact?: boolean
}

/** Copies `text` to the clipboard and says so; if the clipboard is refused, says that instead. */
export function CopyButton({ text, label, testId, compact = false }: CopyButtonProps) {
  const [result, setResult] = useState<'copied' | 'failed' | null>(null)
  useEffect(() => {
    if (result === null) return
    const timer = setTimeout(() => setResult(null), 2000)
    return () => clearTimeout(timer)
  }, [result])
  const copy = (): void => {
    navigator.clipboard.writeText(text).then(
      () => setResult('copied'),
      () => setResult('failed')
    )
  }
  const said = result === 'copied' ? 'Copied' : result === 'failed' ? 'Select and copy it' : label
  if (compact) {
    return (
      <button
        type="button"
        className="icon-button small"
        data-testid={testId}
        aria-label={said}
        title={said}
        onClick={copy}
      >
        <Icon name={result === 'copied' ? 'check' : 'copy'} size={14} />
      </button>
    )
  }
  return (
    <button type="button" className="button small" data-testid={testId} onClick={copy}>
      <Icon name={result === 'copied' ? 'check' : 'copy'} size={14} />
      <span aria-live="polite">{said}</span>
    </button>
  )
}
