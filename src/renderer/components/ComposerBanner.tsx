import type { ComposingState } from '../state/types'
import { previewText } from '../util/file-kind'
import { Icon } from './Icon'

export interface ComposerBannerProps {
  composing: ComposingState
  /** The replied-to author's label here. */
  authorLabel: string
  onCancel: () => void
}

const PREVIEW_CHARS = 100

/** Above the composer while it replies or edits: what, and a way out (Esc does it too). */
export function ComposerBanner({ composing, authorLabel, onCancel }: ComposerBannerProps) {
  const text = previewText(composing.message).slice(0, PREVIEW_CHARS)
  return (
    <div className="composer-banner" data-testid={`composer-${composing.mode}`}>
      <span className="composer-banner-what">
        {composing.mode === 'reply' ? (
          <>
            Replying to <bdi>{authorLabel}</bdi>:{' '}
          </>
        ) : (
          'Editing: '
        )}
        <span className="muted" dir="auto">
          {text}
        </span>
      </span>
      <button
        type="button"
        className="icon-button"
        data-testid="composer-cancel"
        aria-label={composing.mode === 'reply' ? 'Cancel the reply' : 'Cancel the edit'}
        title="Cancel (Esc)"
        onClick={onCancel}
      >
        <Icon name="close" size={14} />
      </button>
    </div>
  )
}
