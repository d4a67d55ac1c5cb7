import { useState, type FormEvent } from 'react'
import type { ErrorInfo } from '../state/types'
import { Dialog } from './Dialog'
import { ErrorNote } from './ErrorNote'
import { RoomFields } from './RoomFields'
import { SubmitActions } from './SubmitActions'

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
        <RoomFields
          testId="create-room"
          name={name}
          topic={topic}
          topicLabel="Topic (optional)"
          namePlaceholder="e.g. Family, Book club"
          onNameChange={setName}
          onTopicChange={setTopic}
        />
        {error !== null && <ErrorNote error={error} />}
        <SubmitActions
          testId="create-room-submit"
          label="Create room"
          busyLabel="Creating…"
          busy={busy}
          disabled={name.trim().length === 0}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  )
}
