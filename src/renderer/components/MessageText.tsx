import { useMemo, useState } from 'react'
import { renderMarkdown } from '../markdown/render-markdown'

/** A message longer than this shows its beginning and a "Show more" button. */
const COLLAPSE_CHARS = 1500
const COLLAPSE_LINES = 20

/** Where a long text is cut for its collapsed view, or null when it is short enough to show whole. */
export function collapsedLength(text: string): number | null {
  let cut = text.length > COLLAPSE_CHARS ? COLLAPSE_CHARS : text.length
  let lines = 0
  for (let i = 0; i < cut; i++) {
    if (text.charCodeAt(i) === 10 && ++lines === COLLAPSE_LINES) cut = i
  }
  if (cut >= text.length) return null
  // never split a surrogate pair
  const code = text.charCodeAt(cut - 1)
  return code >= 0xd800 && code <= 0xdbff ? cut - 1 : cut
}

/** A message's text with its Markdown subset and links; its direction comes from the text. */
export function MessageText({ text }: { text: string }) {
  const [expanded, setExpanded] = useState(false)
  const cut = useMemo(() => collapsedLength(text), [text])
  const collapsed = cut !== null && !expanded
  const html = useMemo(
    () => renderMarkdown(collapsed ? text.slice(0, cut ?? undefined) + '…' : text),
    [text, cut, collapsed]
  )
  return (
    <>
      {/* renderMarkdown escapes everything it does not itself produce (no raw HTML gets through) */}
      <div
        className={'message-text markdown' + (collapsed ? ' collapsed' : '')}
        data-testid="message-text"
        dir="auto"
        dangerouslySetInnerHTML={{ __html: html }}
      />
      {cut !== null && (
        <button
          type="button"
          className="show-more"
          data-testid="message-show-more"
          aria-expanded={expanded}
          onClick={() => setExpanded((e) => !e)}
        >
          {expanded ? 'Show less' : `Show more (${Math.round(text.length / 100) / 10}k characters)`}
        </button>
      )}
    </>
  )
}
