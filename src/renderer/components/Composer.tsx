import { useEffect, useRef, type KeyboardEvent } from 'react'
import { MAX_MESSAGE_BYTES } from '../../shared/api/errors.js'
import { formatKiB } from '../util/format'
import { utf8Length } from '../util/utf8'
import { Icon } from './Icon'
import { ReadOnlyNote } from './ReadOnlyNote'

export interface ComposerProps {
  roomId: string
  roomName: string
  draft: string
  writable: boolean
  /** Why it is not writable: an admin removed this profile (null: not known yet). */
  removed: boolean | null
  onLeave: () => void
  onChange: (text: string) => void
  onSend: (text: string) => void
}

/** Show the size once a message is this close to the limit. */
const SHOW_SIZE_FROM = MAX_MESSAGE_BYTES * 0.9
const MAX_ROWS_PX = 200

/** Enter sends, Shift+Enter is a new line; the 64 KiB limit is shown before sending. */
export function Composer(props: ComposerProps) {
  const { roomId, roomName, draft, writable, removed, onLeave, onChange, onSend } = props
  const ref = useRef<HTMLTextAreaElement>(null)
  const bytes = utf8Length(draft)
  const tooLarge = bytes > MAX_MESSAGE_BYTES
  const canSend = writable && draft.trim().length > 0 && !tooLarge

  // a new room: the cursor goes to its composer
  useEffect(() => {
    if (writable) ref.current?.focus()
  }, [roomId, writable])

  // grow with the text up to a limit, then scroll
  useEffect(() => {
    const element = ref.current
    if (element === null) return
    element.style.height = 'auto'
    element.style.height = Math.min(element.scrollHeight, MAX_ROWS_PX) + 'px'
  }, [draft])

  const send = (): void => {
    if (canSend) onSend(draft)
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return
    event.preventDefault()
    send()
  }

  if (!writable) return <ReadOnlyNote removed={removed} onLeave={onLeave} />
  return (
    <div className="composer">
      <div className={'composer-box' + (tooLarge ? ' too-large' : '')}>
        <textarea
          ref={ref}
          data-testid="composer"
          className="composer-input"
          rows={1}
          dir="auto"
          value={draft}
          placeholder={`Message ${roomName}`}
          aria-label={`Message ${roomName}`}
          aria-describedby={`composer-size-${roomId}`}
          onChange={(e) => onChange(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <button
          type="button"
          className="send-button"
          data-testid="composer-send"
          aria-label="Send"
          title="Send (Enter)"
          disabled={!canSend}
          onClick={send}
        >
          <Icon name="send" />
        </button>
      </div>
      <div
        id={`composer-size-${roomId}`}
        className={'composer-hint' + (tooLarge ? ' over' : '')}
        data-testid={tooLarge ? 'composer-too-large' : undefined}
        aria-live="polite"
      >
        {tooLarge
          ? `Too long to send: ${bytes.toLocaleString()} bytes, the limit is ${MAX_MESSAGE_BYTES.toLocaleString()} (64 KiB). Remove ${(bytes - MAX_MESSAGE_BYTES).toLocaleString()} bytes to send it.`
          : bytes >= SHOW_SIZE_FROM
            ? `${formatKiB(bytes)} of ${formatKiB(MAX_MESSAGE_BYTES)}`
            : 'Enter to send · Shift+Enter for a new line'}
      </div>
    </div>
  )
}
