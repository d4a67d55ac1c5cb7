import { useMemo } from 'react'
import { renderMarkdown } from '../markdown/render-markdown'

/** A message's text with its Markdown subset and links; its direction comes from the text. */
export function MessageText({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text])
  // renderMarkdown escapes everything it does not itself produce (no raw HTML gets through)
  return (
    <div
      className="message-text markdown"
      data-testid="message-text"
      dir="auto"
      dangerouslySetInnerHTML={{ __html: html }}
    />
  )
}
