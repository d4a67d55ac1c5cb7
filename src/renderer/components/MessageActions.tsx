import { useState } from 'react'
import type { Message } from '../../shared/api/contract.js'
import { EmojiPicker } from './EmojiPicker'
import { Icon, type IconName } from './Icon'

/** What a message row can ask for; one object for the whole timeline (rows stay memoized). */
export interface MessageHandlers {
  reply(message: Message): void
  react(message: Message, emoji: string, on: boolean): void
  edit(message: Message): void
  delete(message: Message): void
  pin(message: Message, on: boolean): void
  copy(message: Message): void
  /** Jump to a message of this room (a reply's original). */
  jump(id: string): void
}

export interface MessageActionsProps {
  message: Message
  mine: boolean
  /** An admin here: may delete anyone's message and pin. */
  admin: boolean
  myId: string
  handlers: MessageHandlers
}

function Action(props: { icon: IconName; label: string; testId: string; onClick: () => void }) {
  return (
    <button
      type="button"
      className="message-action"
      data-testid={props.testId}
      aria-label={props.label}
      title={props.label}
      onClick={props.onClick}
    >
      <Icon name={props.icon} size={16} />
    </button>
  )
}

/**
 * The row's actions: shown on hover and while the row holds the keyboard focus (Tab reaches
 * them), so every one works by keyboard too.
 */
export function MessageActions({ message, mine, admin, myId, handlers }: MessageActionsProps) {
  const [picking, setPicking] = useState(false)
  if (message.deleted) return null
  const reacted = (emoji: string): boolean => {
    const who = (message.reactions ?? {})[emoji]
    return Array.isArray(who) && who.includes(myId)
  }
  return (
    <div className={'message-actions' + (picking ? ' open' : '')} data-testid="message-actions">
      <Action
        icon="reply"
        label="Reply"
        testId="action-reply"
        onClick={() => handlers.reply(message)}
      />
      <Action
        icon="smile"
        label="React"
        testId="action-react"
        onClick={() => setPicking((p) => !p)}
      />
      {mine && (
        <Action
          icon="edit"
          label="Edit"
          testId="action-edit"
          onClick={() => handlers.edit(message)}
        />
      )}
      {admin && (
        <Action
          icon="pin"
          label={message.pinned ? 'Unpin' : 'Pin'}
          testId="action-pin"
          onClick={() => handlers.pin(message, !message.pinned)}
        />
      )}
      <Action
        icon="copy"
        label="Copy text"
        testId="action-copy"
        onClick={() => handlers.copy(message)}
      />
      {(mine || admin) && (
        <Action
          icon="trash"
          label="Delete"
          testId="action-delete"
          onClick={() => handlers.delete(message)}
        />
      )}
      {picking && (
        <EmojiPicker
          onPick={(emoji) => {
            setPicking(false)
            handlers.react(message, emoji, !reacted(emoji))
          }}
          onClose={() => setPicking(false)}
        />
      )}
    </div>
  )
}
