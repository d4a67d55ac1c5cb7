import { useState, type FormEvent } from 'react'
import type { RoomInfoUpdate } from '../../shared/api/contract.js'
import type { ErrorInfo } from '../state/types'
import { Dialog } from './Dialog'
import { ErrorNote } from './ErrorNote'
import { RoomFields } from './RoomFields'
import { SubmitActions } from './SubmitActions'

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
        <RoomFields
          testId="room-info"
          name={name}
          topic={topic}
          topicLabel="Topic"
          onNameChange={setName}
          onTopicChange={setTopic}
        />
        {error !== null && <ErrorNote error={error} />}
        <SubmitActions
          testId="room-info-save"
          label="Save"
          busyLabel="Saving…"
          busy={busy}
          disabled={!changed || name.trim() === ''}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  )
}
