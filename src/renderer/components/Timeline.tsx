import { useCallback, useMemo, useState } from 'react'
import type { FileTransfer, Message, Profile, RosterChange } from '../../shared/api/contract.js'
import { labelFor } from '../../shared/text/display-names.js'
import type { TimelineState } from '../state/types'
import { isForMe } from '../util/mentions'
import { Icon } from './Icon'
import { ErrorBoundary } from './ErrorBoundary'
import type { MessageHandlers } from './MessageActions'
import { BrokenMessageRow, MessageRow, type FileHandlers, type MessageRowProps } from './MessageRow'
import { RosterLine } from './RosterLine'
import { TimelineTop } from './TimelineTop'
import { UnreadDivider } from './UnreadDivider'
import { VirtualList } from './VirtualList'

export interface TimelineProps {
  roomName: string
  me: Profile
  timeline: TimelineState
  /** Roster lines ("Bob joined") for the loaded part, oldest first. */
  rosterLines: readonly RosterChange[]
  /** Labels by profile id (roomNames): authors who share a name get a key suffix. */
  names: ReadonlyMap<string, string>
  scrollRequest: number
  atBottom: boolean
  /** The first message that was unread when the room was opened, and how many were. */
  firstUnread: { id: string; count: number } | null
  /** Messages not read yet: the count on "jump to newest". */
  unread: number
  /** This profile is the room's only member. */
  alone: boolean
  onInvite: () => void
  onLoadOlder: () => void
  onAtBottomChange: (atBottom: boolean) => void
  /** What the rows' actions do (null: no actions). */
  handlers: MessageHandlers | null
  admin: boolean
  /** A message to bring into view and mark. */
  jump: { id: string; request: number } | null
  /** The room's file transfers by message id, and (browser) the links to saved files. */
  files?: RowFiles
}

/** What the rows of file messages show and do. */
export interface RowFiles {
  transfers: Readonly<Record<string, FileTransfer>>
  /** By `room/message`. */
  urls: Readonly<Record<string, string>>
  /** By `room/message`: images this page sent, full size. */
  sentImages?: Readonly<Record<string, string>>
  handlers: FileHandlers | null
}

const TOP_KEY = '\u0000top'
const TAIL_KEY = '\u0000tail'
const NO_LINES: readonly RosterChange[] = []

/**
 * The roster lines above each message (by id), and those after the newest: a line sits above the
 * first loaded message at or after its position (a message this device cannot read leaves a gap).
 */
export function placeRosterLines(
  messages: readonly Message[],
  lines: readonly RosterChange[]
): { above: Map<string, RosterChange[]>; after: RosterChange[] } {
  const above = new Map<string, RosterChange[]>()
  const after: RosterChange[] = []
  let i = 0
  for (const line of [...lines].sort((a, b) => a.position - b.position)) {
    while (i < messages.length && messages[i].seq < line.position) i++
    if (i === messages.length) {
      after.push(line)
      continue
    }
    const id = messages[i].id
    const list = above.get(id)
    if (list === undefined) above.set(id, [line])
    else list.push(line)
  }
  return { above, after }
}

function RosterLines(props: {
  lines: readonly RosterChange[]
  names: ReadonlyMap<string, string>
}) {
  return (
    <>
      {props.lines.map((change) => (
        <ErrorBoundary key={change.id} name="roster line" resetKey={change} fallback={() => null}>
          <RosterLine change={change} names={props.names} />
        </ErrorBoundary>
      ))}
    </>
  )
}

/** What every row of one timeline shares besides the messages and names. */
export interface RowContext {
  /** The loaded messages by id (for replies' originals). */
  byId: ReadonlyMap<string, Message>
  handlers: MessageHandlers | null
  admin: boolean
  highlightedId: string | null
  files?: RowFiles
}

const NO_CONTEXT: RowContext = {
  byId: new Map(),
  handlers: null,
  admin: false,
  highlightedId: null
}

/** The props of the row for `messages[index]`, as the timeline renders it. */
export function messageRowProps(
  messages: readonly Message[],
  index: number,
  me: Profile,
  names: ReadonlyMap<string, string>,
  context: RowContext = NO_CONTEXT
): MessageRowProps {
  const message = messages[index]
  const mine = message.author === me.id
  const replyTo = typeof message.replyTo === 'string' ? message.replyTo : null
  return {
    isReply: replyTo !== null,
    replyTarget: replyTo === null ? null : (context.byId.get(replyTo) ?? null),
    handlers: context.handlers,
    admin: context.admin,
    highlighted: context.highlightedId === message.id,
    message,
    authorLabel: labelFor(names, message.author, message.authorName),
    previous: messages[index - 1] ?? null,
    mine,
    mentionsMe: !mine && isForMe(message, me),
    names,
    myId: me.id,
    transfer: context.files?.transfers[message.id] ?? null,
    fileUrl: context.files?.urls[`${message.room}/${message.id}`] ?? null,
    sentImage: context.files?.sentImages?.[`${message.room}/${message.id}`] ?? null,
    fileHandlers: context.files?.handlers ?? null
  }
}

/** Inside the row's boundary, so a failure while working out its props is caught there too. */
function RowOf(props: {
  messages: readonly Message[]
  index: number
  me: Profile
  names: ReadonlyMap<string, string>
  context: RowContext
}) {
  const { messages, index, me, names, context } = props
  return <MessageRow {...messageRowProps(messages, index, me, names, context)} />
}

/** A room's messages, oldest at the top, opened at the newest; older pages load on scroll. */
export function Timeline(props: TimelineProps) {
  const { roomName, me, timeline, names, firstUnread, alone, onInvite, onLoadOlder } = props
  const { messages, hasMore, loading, error } = timeline
  const [jumps, setJumps] = useState(0)
  const placed = useMemo(
    () => placeRosterLines(messages, props.rosterLines),
    [messages, props.rosterLines]
  )
  const tail = placed.after.length > 0 ? 1 : 0
  const byId = useMemo(() => new Map(messages.map((m) => [m.id, m])), [messages])
  const jumpId = props.jump?.id ?? null
  const context = useMemo<RowContext>(
    () => ({
      byId,
      handlers: props.handlers,
      admin: props.admin,
      highlightedId: jumpId,
      files: props.files
    }),
    [byId, props.handlers, props.admin, jumpId, props.files]
  )

  const keyAt = useCallback(
    (i: number) => (i === 0 ? TOP_KEY : i > messages.length ? TAIL_KEY : messages[i - 1].id),
    [messages]
  )
  const renderRow = useCallback(
    (i: number) => {
      if (i === 0) {
        return (
          <TimelineTop
            roomName={roomName}
            hasMore={hasMore}
            loading={loading}
            error={error}
            empty={messages.length === 0}
            alone={alone}
            onRetry={onLoadOlder}
            onInvite={onInvite}
          />
        )
      }
      if (i > messages.length) return <RosterLines lines={placed.after} names={names} />
      const message = messages[i - 1]
      // one bad record takes only its own row with it; a new version of it gets another try
      return (
        <>
          <RosterLines lines={placed.above.get(message.id) ?? NO_LINES} names={names} />
          {firstUnread?.id === message.id && <UnreadDivider count={firstUnread.count} />}
          <ErrorBoundary
            name="message row"
            resetKey={message}
            fallback={() => <BrokenMessageRow id={String(message.id)} />}
          >
            <RowOf messages={messages} index={i - 1} me={me} names={names} context={context} />
          </ErrorBoundary>
        </>
      )
    },
    [
      messages,
      placed,
      names,
      hasMore,
      loading,
      error,
      roomName,
      me,
      firstUnread,
      alone,
      onInvite,
      onLoadOlder,
      context
    ]
  )
  const onNearTop = useCallback(() => {
    if (hasMore && !loading && error === null) onLoadOlder()
  }, [hasMore, loading, error, onLoadOlder])

  return (
    <div className="timeline">
      <VirtualList
        count={messages.length + 1 + tail}
        keyAt={keyAt}
        renderRow={renderRow}
        estimatedHeight={56}
        onNearTop={onNearTop}
        onAtBottomChange={props.onAtBottomChange}
        scrollRequest={props.scrollRequest + jumps}
        startAt={firstUnread?.id ?? null}
        scrollTo={props.jump === null ? null : { key: props.jump.id, request: props.jump.request }}
        label={`Messages in ${roomName}`}
      />
      {!props.atBottom && (
        <button
          type="button"
          className="jump-latest"
          data-testid="jump-latest"
          onClick={() => setJumps((j) => j + 1)}
          aria-label={
            props.unread > 0
              ? `Jump to the newest message, ${props.unread} unread`
              : 'Jump to the newest message'
          }
        >
          <Icon name="down" />
          {props.unread > 0 && (
            <span className="jump-latest-count" data-testid="jump-latest-count">
              {props.unread > 999 ? '999+' : props.unread}
            </span>
          )}
        </button>
      )}
    </div>
  )
}
