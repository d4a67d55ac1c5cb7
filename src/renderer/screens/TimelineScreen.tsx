import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type {
  FileTransfer,
  Member,
  Message,
  Profile,
  Room,
  RosterChange
} from '../../shared/api/contract.js'
import { roomNames } from '../../shared/text/display-names.js'
import type { MessageHandlers } from '../components/MessageActions'
import type { FileHandlers } from '../components/MessageRow'
import { Timeline, type RowFiles } from '../components/Timeline'
import { useActions, useAppState } from '../state/hooks'
import { emptyTimeline } from '../state/timeline-ops'

const LOADING = { ...emptyTimeline(), loading: true }
const NO_MEMBERS: Member[] = []
const NO_LINES: RosterChange[] = []
const NO_TRANSFERS: Record<string, FileTransfer> = {}

type Author = Pick<Message, 'author' | 'authorName'>

/**
 * Each author of `messages` once, with the name of their first message (what roomNames takes from
 * a message list), the same array while that does not change: a page of older messages then
 * neither builds an entry per loaded message nor gives every row new names.
 */
function useAuthors(messages: readonly Message[]): readonly Author[] {
  const last = useRef<readonly Author[]>([])
  return useMemo(() => {
    const seen = new Map<string, string>()
    for (const message of messages) {
      if (!seen.has(message.author)) seen.set(message.author, message.authorName)
    }
    const previous = last.current
    let same = previous.length === seen.size
    if (same) {
      let i = 0
      for (const [author, authorName] of seen) {
        const known = previous[i++]
        if (known.author !== author || known.authorName !== authorName) {
          same = false
          break
        }
      }
    }
    if (!same) {
      last.current = [...seen].map(([author, authorName]) => ({ author, authorName }))
    }
    return last.current
  }, [messages])
}

/**
 * The room's timeline, opened at the first unread message; marks the room read while its newest
 * message is on screen.
 */
export function TimelineScreen({ room, profile }: { room: Room; profile: Profile }) {
  const timeline = useAppState((s) => s.timelines[room.id]) ?? LOADING
  const members = useAppState((s) => s.members[room.id]) ?? NO_MEMBERS
  const rosterLines = useAppState((s) => s.rosterLines[room.id]) ?? NO_LINES
  const authors = useAuthors(timeline.messages)
  const names = useMemo(() => roomNames(members, authors), [members, authors])
  const scrollRequest = useAppState((s) => s.scrollRequest)
  const atBottom = useAppState((s) => s.atBottom)
  const visible = useAppState((s) => s.visible)
  const actions = useActions()
  const newest = timeline.messages[timeline.messages.length - 1]
  // what was unread as the room opened: the divider stays there while the room is open
  const [opened] = useState(() => ({
    seq: room.messageCount - room.unread,
    count: room.unread
  }))
  const firstUnread = useMemo(() => {
    if (opened.count === 0) return null
    const first = timeline.messages.find((m) => m.seq >= opened.seq)
    return first === undefined ? null : { id: first.id, count: opened.count }
  }, [opened, timeline.messages])

  useEffect(() => {
    if (visible && atBottom && newest !== undefined && room.unread > 0) {
      actions.markRead(room.id, newest.id)
    }
  }, [actions, visible, atBottom, newest, room.id, room.unread])

  const jumpState = useAppState((s) => s.jump)
  const jump = useMemo(
    () =>
      jumpState === null || jumpState.room !== room.id
        ? null
        : { id: jumpState.id, request: jumpState.request },
    [jumpState, room.id]
  )
  const handlers = useMemo<MessageHandlers | null>(
    () =>
      room.writable
        ? {
            reply: (m) => actions.startReply(room.id, m),
            react: (m, emoji, on) => void actions.react(room.id, m, emoji, on),
            edit: (m) => actions.startEdit(room.id, m),
            delete: (m) => actions.askDelete(room.id, m),
            pin: (m, on) => void actions.pin(room.id, m, on),
            copy: (m) => void actions.copyText(m),
            jump: (id) => void actions.jumpTo(room.id, id)
          }
        : null,
    [actions, room.id, room.writable]
  )
  const files = useRoomFiles(room, timeline.messages)
  const loadOlder = useCallback(() => void actions.loadOlder(room.id), [actions, room.id])
  const invite = useCallback(() => actions.openInvite(room.id), [actions, room.id])
  return (
    <Timeline
      roomName={room.name}
      me={profile}
      timeline={timeline}
      rosterLines={rosterLines}
      names={names}
      scrollRequest={scrollRequest}
      atBottom={atBottom}
      firstUnread={firstUnread}
      unread={room.unread}
      alone={room.memberCount === 1}
      onInvite={invite}
      onLoadOlder={loadOlder}
      onAtBottomChange={actions.setAtBottom}
      handlers={handlers}
      admin={room.role === 'admin'}
      jump={jump}
      files={files}
    />
  )
}

/**
 * The room's file transfers for its rows; reads them when the room opens, asks for new file
 * messages' as they load, and starts the images that download by themselves while on screen.
 */
function useRoomFiles(room: Room, messages: readonly Message[]): RowFiles {
  const actions = useActions()
  const transfers = useAppState((s) => s.transfers[room.id]) ?? NO_TRANSFERS
  const urls = useAppState((s) => s.fileUrls)
  const sentImages = useAppState((s) => s.sentImages)
  const onScreen = useAppState((s) => s.visible && s.activeRoom === room.id)
  useEffect(() => {
    void actions.loadTransfers(room.id)
  }, [actions, room.id])
  useEffect(() => {
    actions.watchFiles(room.id, messages)
  }, [actions, room.id, messages, transfers, onScreen])
  const handlers = useMemo<FileHandlers>(() => {
    const openFile = actions.openFile
    return {
      download: (m) => void actions.download(room.id, m.id),
      cancel: (m) => void actions.cancelDownload(room.id, m.id),
      view: (m) => actions.openViewer(room.id, m.id),
      open: openFile === null ? null : (m, how) => void openFile(room.id, m.id, how)
    }
  }, [actions, room.id])
  return useMemo(
    () => ({ transfers, urls, sentImages, handlers }),
    [transfers, urls, sentImages, handlers]
  )
}
