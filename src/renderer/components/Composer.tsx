import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type ClipboardEvent,
  type KeyboardEvent
} from 'react'
import { MAX_MESSAGE_BYTES } from '../../shared/api/errors.js'
import type { Attachment, ComposingState, OutgoingFile } from '../state/types'
import { formatKiB } from '../util/format'
import { utf8Length } from '../util/utf8'
import { AttachmentTray } from './AttachmentTray'
import { Icon } from './Icon'
import { ComposerBanner } from './ComposerBanner'
import {
  MentionSuggestions,
  mentionAt,
  mentionCandidates,
  type MentionCandidate
} from './MentionSuggestions'
import { ReadOnlyNote } from './ReadOnlyNote'

export interface ComposerProps {
  roomId: string
  roomName: string
  draft: string
  writable: boolean
  /** Why it is not writable: an admin removed this profile (null: not known yet). */
  removed: boolean | null
  /** Or another of this profile's devices unlinked this one. */
  unlinked: boolean
  onLeave: () => void
  onChange: (text: string) => void
  onSend: (text: string) => void
  /** Replying to or editing a message (null: a new message). */
  composing: ComposingState | null
  /** The label of the replied-to message's author. */
  composingAuthor: string
  /** The room's other members, as `@` completes them. */
  mentionable: readonly MentionCandidate[]
  onCancelComposing: () => void
  onSaveEdit: (text: string) => void
  /** ↑ in an empty composer: edit my last message; false when there is none. */
  onEditLast: () => boolean
  /** Files to send with the next message (the text is then their caption), and those sending. */
  attachments: readonly Attachment[]
  outgoing: readonly OutgoingFile[]
  onAttach: (files: File[]) => void
  onRemoveAttachment: (id: number) => void
  onCancelSend: (upload: string) => void
}

/** Show the size once a message is this close to the limit. */
const SHOW_SIZE_FROM = MAX_MESSAGE_BYTES * 0.9
const MAX_ROWS_PX = 200

/** Enter sends, Shift+Enter is a new line; the 64 KiB limit is shown before sending. */
export function Composer(props: ComposerProps) {
  const { roomId, roomName, draft, writable, removed, unlinked, onLeave, onChange, onSend } = props
  const { composing } = props
  const ref = useRef<HTMLTextAreaElement>(null)
  const fileInput = useRef<HTMLInputElement>(null)
  const [mention, setMention] = useState<{ start: number; query: string } | null>(null)
  const [selected, setSelected] = useState(0)
  /** Where the cursor goes once a completed mention is in the text (before more is typed). */
  const caret = useRef<number | null>(null)
  useLayoutEffect(() => {
    if (caret.current === null) return
    ref.current?.setSelectionRange(caret.current, caret.current)
    caret.current = null
  }, [draft])
  const candidates = mention === null ? [] : mentionCandidates(props.mentionable, mention.query)
  const bytes = utf8Length(draft)
  const tooLarge = bytes > MAX_MESSAGE_BYTES
  const editing = composing?.mode === 'edit'
  const withFiles = props.attachments.length > 0 && !editing
  const canSend = writable && (draft.trim().length > 0 || withFiles) && !tooLarge

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

  // replying or editing: the cursor goes to the composer; a mention being typed is over
  useEffect(() => {
    setMention(null)
    if (composing !== null) ref.current?.focus()
  }, [composing, roomId])

  const send = (): void => {
    if (!canSend) return
    if (composing?.mode === 'edit') props.onSaveEdit(draft)
    else onSend(draft)
  }
  const track = (text: string, cursor: number): void => {
    const at = mentionAt(text, cursor)
    setMention(at)
    setSelected(0)
  }
  const pick = (candidate: MentionCandidate): void => {
    if (mention === null) return
    const cursor = ref.current?.selectionStart ?? draft.length
    const inserted = `@${candidate.label} `
    const text = draft.slice(0, mention.start) + inserted + draft.slice(cursor)
    caret.current = mention.start + inserted.length
    onChange(text)
    setMention(null)
  }
  // a pasted screenshot (or any file) joins the attachments; pasted text stays text, even when
  // the clipboard also holds a picture of it (text copied from a word processor)
  const onPaste = (event: ClipboardEvent<HTMLTextAreaElement>): void => {
    const files = [...event.clipboardData.files]
    if (files.length === 0 || editing || event.clipboardData.getData('text/plain') !== '') return
    event.preventDefault()
    props.onAttach(files.map((f, i) => (f.name === '' ? renamed(f, i) : f)))
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (event.nativeEvent.isComposing) return
    if (candidates.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault()
        event.stopPropagation() // not Alt+↑/↓'s room switch
        const step = event.key === 'ArrowDown' ? 1 : candidates.length - 1
        setSelected((i) => (i + step) % candidates.length)
        return
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault()
        pick(candidates[Math.min(selected, candidates.length - 1)])
        return
      }
      if (event.key === 'Escape') {
        event.preventDefault()
        event.stopPropagation()
        setMention(null)
        return
      }
    }
    if (event.key === 'Escape' && composing !== null) {
      event.preventDefault()
      event.stopPropagation()
      props.onCancelComposing()
      return
    }
    if (event.key === 'ArrowUp' && draft === '' && composing === null) {
      if (props.onEditLast()) event.preventDefault()
      return
    }
    if (event.key !== 'Enter' || event.shiftKey) return
    event.preventDefault()
    send()
  }

  if (!writable) return <ReadOnlyNote removed={removed} unlinked={unlinked} onLeave={onLeave} />
  return (
    <div className="composer">
      {composing !== null && (
        <ComposerBanner
          composing={composing}
          authorLabel={props.composingAuthor}
          onCancel={props.onCancelComposing}
        />
      )}
      <MentionSuggestions candidates={candidates} selected={selected} onPick={pick} />
      <AttachmentTray
        attachments={editing ? [] : props.attachments}
        outgoing={props.outgoing}
        onRemove={props.onRemoveAttachment}
        onCancelSend={props.onCancelSend}
      />
      <div className={'composer-box' + (tooLarge ? ' too-large' : '')}>
        {!editing && (
          <>
            <button
              type="button"
              className="attach-button"
              data-testid="composer-attach"
              aria-label="Attach files"
              title="Attach files (or paste or drop them here)"
              onClick={() => fileInput.current?.click()}
            >
              <Icon name="attach" />
            </button>
            <input
              ref={fileInput}
              type="file"
              multiple
              hidden
              data-testid="composer-file-input"
              onChange={(e) => {
                const files = [...(e.target.files ?? [])]
                e.target.value = ''
                if (files.length > 0) props.onAttach(files)
                ref.current?.focus()
              }}
            />
          </>
        )}
        <textarea
          ref={ref}
          data-testid="composer"
          className="composer-input"
          rows={1}
          dir="auto"
          value={draft}
          placeholder={withFiles ? 'Add a caption' : `Message ${roomName}`}
          aria-label={`Message ${roomName}`}
          aria-describedby={`composer-size-${roomId}`}
          onChange={(e) => {
            onChange(e.target.value)
            track(e.target.value, e.target.selectionStart)
          }}
          onKeyDown={onKeyDown}
          onPaste={onPaste}
          onBlur={() => setMention(null)}
        />
        <button
          type="button"
          className="send-button"
          data-testid="composer-send"
          aria-label={composing?.mode === 'edit' ? 'Save the edit' : 'Send'}
          title={composing?.mode === 'edit' ? 'Save (Enter)' : 'Send (Enter)'}
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

/** A pasted image comes without a name: it gets one from the time and its type. */
function renamed(file: File, index: number): File {
  const ext = file.type.startsWith('image/') ? '.' + file.type.slice(6).replace('jpeg', 'jpg') : ''
  const stamp = new Date().toISOString().slice(0, 19).replace(/[T:]/g, '-')
  const suffix = index === 0 ? '' : `-${index + 1}`
  return new File([file], `pasted-${stamp}${suffix}${ext}`, { type: file.type })
}
