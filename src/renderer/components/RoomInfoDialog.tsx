import { useState, type FormEvent } from 'react'
import type { RoomInfoUpdate } from '../../shared/api/contract.js'
import { MAX_NAME_CHARS, MAX_TOPIC_CHARS } from '../../shared/api/errors.js'
import type { ErrorInfo } from '../state/types'
import { Dialog } from './Dialog'
import { ErrorNote } from './ErrorNote'

export interface RoomInfoDialogProps {
  name: string
  topic: string
  busy: boolean
  error: ErrorInfo | null
  /** Only what changed: an unchanged name or topic is not written again. */
  onSave: (update: RoomInfoUpdate) => void
  onClose: () => void
}

/** An admin renames the room or sets its topic, for every member. */
export function RoomInfoDialog(props: RoomInfoDialogProps) {
  const { busy, error, onSave, onClose } = props
  const [name, setName] = useState(props.name)
  const [topic, setTopic] = useState(props.topic)
  const update: RoomInfoUpdate = {}
  if (name.trim() !== props.name) update.name = name.trim()
  if (topic.trim() !== props.topic) update.topic = topic.trim()
  const changed = Object.keys(update).length > 0
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (changed && name.trim() !== '' && !busy) onSave(update)
  }
  return (
    <Dialog title="Room name and topic" onClose={onClose} size="small" closeOnBackdrop={!changed}>
      <form className="form" onSubmit={submit}>
        <p className="muted">Every member sees the new name and topic.</p>
        <label className="field">
          <span className="field-label">Name</span>
          <input
            data-testid="room-info-name"
            data-autofocus
            className="input"
            value={name}
            maxLength={MAX_NAME_CHARS}
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">Topic</span>
          <input
            data-testid="room-info-topic"
            className="input"
            value={topic}
            maxLength={MAX_TOPIC_CHARS}
            placeholder="What is it about?"
            onChange={(e) => setTopic(e.target.value)}
          />
        </label>
        {error !== null && <ErrorNote error={error} />}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button primary"
            data-testid="room-info-save"
            disabled={!changed || name.trim() === '' || busy}
          >
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
