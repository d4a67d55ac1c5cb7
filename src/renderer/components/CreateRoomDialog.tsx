import { useState, type FormEvent } from 'react'
import { MAX_NAME_CHARS, MAX_TOPIC_CHARS } from '../../shared/api/errors.js'
import type { ErrorInfo } from '../state/types'
import { Dialog } from './Dialog'
import { ErrorNote } from './ErrorNote'

export interface CreateRoomDialogProps {
  busy: boolean
  error: ErrorInfo | null
  onCreate: (name: string, topic: string) => void
  onClose: () => void
}

export function CreateRoomDialog({ busy, error, onCreate, onClose }: CreateRoomDialogProps) {
  const [name, setName] = useState('')
  const [topic, setTopic] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim().length > 0 && !busy) onCreate(name.trim(), topic)
  }
  return (
    <Dialog
      title="Create a room"
      onClose={onClose}
      size="small"
      closeOnBackdrop={name === '' && topic === ''}
    >
      <form className="form" onSubmit={submit}>
        <p className="muted">
          You will be its admin. The room lives on the devices of the people in it; invite them
          next.
        </p>
        <label className="field">
          <span className="field-label">Name</span>
          <input
            data-testid="create-room-name"
            data-autofocus
            className="input"
            value={name}
            maxLength={MAX_NAME_CHARS}
            placeholder="e.g. Family, Book club"
            onChange={(e) => setName(e.target.value)}
          />
          {name.length >= MAX_NAME_CHARS - 8 && (
            <span className="field-hint" data-testid="create-room-name-limit" aria-live="polite">
              {name.length} of {MAX_NAME_CHARS} characters
              {name.length >= MAX_NAME_CHARS && ': a longer name is cut here'}
            </span>
          )}
        </label>
        <label className="field">
          <span className="field-label">Topic (optional)</span>
          <input
            data-testid="create-room-topic"
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
            data-testid="create-room-submit"
            disabled={name.trim().length === 0 || busy}
          >
            {busy ? 'Creating…' : 'Create room'}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
