import { useCallback, useState } from 'react'
import type { Message, Profile } from '../../shared/api/contract.js'
import { labelFor } from '../../shared/text/display-names.js'
import type { TimelineState } from '../state/types'
import { mentions } from '../util/mentions'
import { Icon } from './Icon'
import { ErrorBoundary } from './ErrorBoundary'
import { BrokenMessageRow, MessageRow, type MessageRowProps } from './MessageRow'
import { TimelineTop } from './TimelineTop'
import { UnreadDivider } from './UnreadDivider'
import { VirtualList } from './VirtualList'

export interface TimelineProps {
  roomName: string
  me: Profile
  timeline: TimelineState
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
}

const TOP_KEY = '\u0000top'

/** The props of the row for `messages[index]`, as the timeline renders it. */
export function messageRowProps(
  messages: readonly Message[],
  index: number,
  me: Profile,
  names: ReadonlyMap<string, string>
): MessageRowProps {
  const message = messages[index]
  const mine = message.author === me.id
  return {
    message,
    authorLabel: labelFor(names, message.author, message.authorName),
    previous: messages[index - 1] ?? null,
    mine,
    mentionsMe: !mine && mentions(message.text, me.name)
  }
}

/** Inside the row's boundary, so a failure while working out its props is caught there too. */
function RowOf(props: {
  messages: readonly Message[]
  index: number
  me: Profile
  names: ReadonlyMap<string, string>
}) {
  return <MessageRow {...messageRowProps(props.messages, props.index, props.me, props.names)} />
}

/** A room's messages, oldest at the top, opened at the newest; older pages load on scroll. */
export function Timeline(props: TimelineProps) {
  const { roomName, me, timeline, names, firstUnread, alone, onInvite, onLoadOlder } = props
  const { messages, hasMore, loading, error } = timeline
  const [jumps, setJumps] = useState(0)

  const keyAt = useCallback((i: number) => (i === 0 ? TOP_KEY : messages[i - 1].id), [messages])
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
      const message = messages[i - 1]
      // one bad record takes only its own row with it; a new version of it gets another try
      return (
        <>
          {firstUnread?.id === message.id && <UnreadDivider count={firstUnread.count} />}
          <ErrorBoundary
            name="message row"
            resetKey={message}
            fallback={() => <BrokenMessageRow id={String(message.id)} />}
          >
            <RowOf messages={messages} index={i - 1} me={me} names={names} />
          </ErrorBoundary>
        </>
      )
    },
    [
      messages,
      names,
      hasMore,
      loading,
      error,
      roomName,
      me,
      firstUnread,
      alone,
      onInvite,
      onLoadOlder
    ]
  )
  const onNearTop = useCallback(() => {
    if (hasMore && !loading && error === null) onLoadOlder()
  }, [hasMore, loading, error, onLoadOlder])

  return (
    <div className="timeline">
      <VirtualList
        count={messages.length + 1}
        keyAt={keyAt}
        renderRow={renderRow}
        estimatedHeight={56}
        onNearTop={onNearTop}
        onAtBottomChange={props.onAtBottomChange}
        scrollRequest={props.scrollRequest + jumps}
        startAt={firstUnread?.id ?? null}
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
