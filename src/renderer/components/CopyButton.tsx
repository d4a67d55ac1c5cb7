import { useEffect, useState } from 'react'
import { Icon } from './Icon'

export interface CopyButtonProps {
  text: string
  label: string
  testId?: string
}

/** Copies `text` to the clipboard and says so; if the clipboard is refused, says that instead. */
export function CopyButton({ text, label, testId }: CopyButtonProps) {
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
  return (
    <button type="button" className="button small" data-testid={testId} onClick={copy}>
      <Icon name={result === 'copied' ? 'check' : 'copy'} size={14} />
      <span aria-live="polite">
        {result === 'copied' ? 'Copied' : result === 'failed' ? 'Select and copy it' : label}
      </span>
    </button>
  )
}
