import { memo } from 'react'
import type { FileTransfer, Message } from '../../shared/api/contract.js'
import { formatDateTime, formatTime, isoDateTime, sameDay } from '../util/format'
import { colorSlot } from '../util/names'
import { Avatar } from './Avatar'
import { DaySeparator } from './DaySeparator'
import { FileAttachment } from './FileAttachment'
import { Icon } from './Icon'
import { MessageActions, type MessageHandlers } from './MessageActions'
import { MessageReactions } from './MessageReactions'
import { ReplyQuote } from './ReplyQuote'
import { MessageText } from './MessageText'

/** Messages from one author this close together form a group under one name. */
const GROUP_MS = 5 * 60 * 1000

export interface MessageRowProps {
  message: Message
  /** What to call the author here: their name, with a key suffix if another has it too. */
  authorLabel: string
  previous: Message | null
  mine: boolean
  mentionsMe: boolean
  /** Labels by profile id (roomNames): for who reacted. */
  names: ReadonlyMap<string, string>
  myId: string
  /** Whether it answers a message, and that message when it is loaded here (null when not). */
  isReply: boolean
  replyTarget: Message | null
  /** What the row's actions do; null renders no actions (a read-only view). */
  handlers: MessageHandlers | null
  admin: boolean
  /** Brought into view by a jump (a search hit, a pin, a reply's original). */
  highlighted: boolean
  /** Its file's transfer here, and (browser) the link to the saved file; null when none. */
  transfer?: FileTransfer | null
  fileUrl?: string | null
  /** The full image, when this page sent it (a data: URL). */
  sentImage?: string | null
  /** What its file's buttons do; null renders none. */
  fileHandlers?: FileHandlers | null
}

/** What a file message's buttons and image ask for; one object for the whole timeline. */
export interface FileHandlers {
  download(message: Message): void
  cancel(message: Message): void
  view(message: Message): void
  /** The desktop app's Open and Show in folder; null in a browser. */
  open: ((message: Message, how: 'open' | 'show') => void) | null
}

function MessageFile(props: {
  message: Message
  transfer: FileTransfer | null
  url: string | null
  sentImage: string | null
  handlers: FileHandlers | null
}) {
  const { message, handlers } = props
  if (message.file == null) return null
  return (
    <FileAttachment
      file={message.file}
      transfer={props.transfer}
      url={props.url}
      sentImage={props.sentImage}
      actions={
        handlers === null
          ? null
          : {
              download: () => handlers.download(message),
              cancel: () => handlers.cancel(message),
              open: handlers.open === null ? null : (how) => handlers.open?.(message, how)
            }
      }
      onView={handlers === null ? null : () => handlers.view(message)}
    />
  )
}

function StateMark({ state }: { state: Message['state'] }) {
  return state === 'sent' ? (
    <span className="message-state sent" title="A peer has it">
      <Icon name="check" size={14} label="Sent" />
    </span>
  ) : (
    <span
      className="message-state pending"
      title="Waiting for a peer: it goes out when one is online"
    >
      <Icon name="clock" size={14} label="Pending" />
    </span>
  )
}

/** A row's place when it failed to render: the rest of the timeline goes on. */
export function BrokenMessageRow({ id }: { id: string }) {
  return (
    <div className="message-row">
      <div className="message message-broken" data-testid="message-broken" data-id={id}>
        <span className="muted small">This message could not be shown</span>
      </div>
    </div>
  )
}

export const MessageRow = memo(function MessageRow(props: MessageRowProps) {
  const { message, authorLabel, previous, mine, mentionsMe, names, myId, handlers } = props
  const newDay = previous === null || !sameDay(previous.timestamp, message.timestamp)
  const grouped =
    !newDay &&
    previous !== null &&
    previous.author === message.author &&
    message.timestamp - previous.timestamp < GROUP_MS
  const classes = ['message', mine ? 'mine' : 'theirs']
  if (grouped) classes.push('grouped')
  if (mentionsMe) classes.push('mentioned')
  if (props.highlighted) classes.push('highlighted')
  return (
    <div className="message-row">
      {newDay && <DaySeparator timestamp={message.timestamp} />}
      <div
        className={classes.join(' ')}
        data-testid="message"
        data-id={message.id}
        data-state={message.state}
      >
        {!mine && (
          <span className="message-avatar">
            {!grouped && <Avatar name={authorLabel} seed={message.author} size="small" />}
          </span>
        )}
        <div className="bubble">
          {!mine && !grouped && (
            <div
              className={`message-author text-color-${colorSlot(message.author)}`}
              data-testid="message-author"
              title={message.author}
            >
              <bdi>{authorLabel}</bdi>
            </div>
          )}
          {props.isReply && message.deleted !== true && (
            <ReplyQuote
              target={props.replyTarget}
              names={names}
              onJump={() => handlers?.jump(String(message.replyTo))}
            />
          )}
          {message.deleted === true ? (
            <div className="message-deleted" data-testid="message-deleted">
              Message deleted
            </div>
          ) : (
            <>
              <MessageFile
                message={message}
                transfer={props.transfer ?? null}
                url={props.fileUrl ?? null}
                sentImage={props.sentImage ?? null}
                handlers={props.fileHandlers ?? null}
              />
              {(message.file == null || message.text !== '') && <MessageText text={message.text} />}
            </>
          )}
          {message.deleted !== true && (
            <MessageReactions
              reactions={message.reactions}
              names={names}
              myId={myId}
              onToggle={
                handlers === null ? null : (emoji, on) => handlers.react(message, emoji, on)
              }
            />
          )}
          <div className="message-meta">
            {message.pinned === true && (
              <span className="message-pinned" title="Pinned">
                pinned
              </span>
            )}
            {message.editedAt && message.deleted !== true ? (
              <span
                className="message-edited"
                data-testid="message-edited"
                title={`Edited ${formatDateTime(message.editedAt)}`}
              >
                edited
              </span>
            ) : null}
            <time
              dateTime={isoDateTime(message.timestamp)}
              title={formatDateTime(message.timestamp)}
            >
              {formatTime(message.timestamp)}
            </time>
            {mine && <StateMark state={message.state} />}
          </div>
        </div>
        {handlers !== null && (
          <MessageActions
            message={message}
            mine={mine}
            admin={props.admin}
            myId={myId}
            handlers={handlers}
          />
        )}
      </div>
    </div>
  )
})
