import MarkdownIt from 'markdown-it'

/**
 * The Markdown a message may use: *emphasis*, **strong**, ~~strike~~, `code`, fenced code, >
 * quotes, lists, and links written out as URLs. No raw HTML (markdown-it escapes it), no images,
 * and no [text](url) links, whose text could pretend to be another address.
 */
const md = new MarkdownIt('zero', { html: false, linkify: true, breaks: true })
md.enable(['blockquote', 'fence', 'list'])
md.enable(['backticks', 'emphasis', 'strikethrough', 'autolink', 'escape', 'newline', 'linkify'])
md.linkify.set({ fuzzyLink: true, fuzzyEmail: false })

// what the Electron window hands to the system browser; anything else stays text
const SAFE_SCHEMES = /^https?:\/\//i
md.validateLink = (url) => SAFE_SCHEMES.test(url.trim())

// links leave the app: a new tab (browser), the system browser (Electron's window open handler)
md.renderer.rules.link_open = (tokens, index, options, _env, self) => {
  const token = tokens[index]
  token.attrSet('target', '_blank')
  token.attrSet('rel', 'noopener noreferrer')
  return self.renderToken(tokens, index, options)
}

/** A message's text as safe HTML: everything it holds is escaped except the subset above. */
export function renderMarkdown(text: string): string {
  return md.render(text)
}
