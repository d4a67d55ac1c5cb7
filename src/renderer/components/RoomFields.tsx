import { MAX_NAME_CHARS, MAX_TOPIC_CHARS } from '../../shared/api/errors.js'

export interface RoomFieldsProps {
  /** Names the fields for tests: `<id>-name`, `<id>-name-limit`, `<id>-topic`. */
  testId: string
  name: string
  topic: string
  topicLabel: string
  namePlaceholder?: string
  onNameChange: (name: string) => void
  onTopicChange: (topic: string) => void
}

/** A room's name (with its length limit said as it nears) and topic, for creating or editing it. */
export function RoomFields(props: RoomFieldsProps) {
  const { testId, name, topic, onNameChange, onTopicChange } = props
  return (
    <>
      <label className="field">
        <span className="field-label">Name</span>
        <input
          data-testid={`${testId}-name`}
          data-autofocus
          className="input"
          value={name}
          maxLength={MAX_NAME_CHARS}
          placeholder={props.namePlaceholder}
          onChange={(e) => onNameChange(e.target.value)}
        />
        {name.length >= MAX_NAME_CHARS - 8 && (
          <span className="field-hint" data-testid={`${testId}-name-limit`} aria-live="polite">
            {name.length} of {MAX_NAME_CHARS} characters
            {name.length >= MAX_NAME_CHARS && ': a longer name is cut here'}
          </span>
        )}
      </label>
      <label className="field">
        <span className="field-label">{props.topicLabel}</span>
        <input
          data-testid={`${testId}-topic`}
          className="input"
          value={topic}
          maxLength={MAX_TOPIC_CHARS}
          placeholder="What is it about?"
          onChange={(e) => onTopicChange(e.target.value)}
        />
      </label>
    </>
  )
}
