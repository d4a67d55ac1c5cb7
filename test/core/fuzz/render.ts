import { importViteBundle } from '../../helpers/vite-bundle.js'
import path from 'path'
import type {
  Member,
  Message,
  MessagePage,
  Profile,
  RosterChange
} from '../../../src/shared/api/contract.js'

/** What the renderer bundle for tests exports (see ENTRY). */
export interface RendererModules {
  /** renderToStaticMarkup of a MessageRow with the props the timeline gives row `index`. */
  renderRow(
    messages: readonly Message[],
    index: number,
    me: Profile,
    names: ReadonlyMap<string, string>
  ): string
  /** renderToStaticMarkup of a React element built from a component name and props. */
  render(component: string, props: Record<string, unknown>): string
  /**
   * The markup of an ErrorBoundary with these props once its children threw (server rendering
   * never catches, so the boundary is tripped by hand, as React does on the client).
   */
  renderTripped(props: Record<string, unknown>): string
  /** A React element of a component, for a fallback. */
  element(component: string, props: Record<string, unknown>): unknown
  /** The renderer's own formatters (src/renderer/util/format.ts). */
  format: Record<string, (...args: any[]) => string | boolean | Date | null | undefined>
  /** Which roster lines go above which loaded message (components/Timeline.tsx). */
  placeRosterLines(
    messages: readonly Message[],
    lines: readonly RosterChange[]
  ): { above: Map<string, RosterChange[]>; after: RosterChange[] }
  /** The composer's @mentions (util/mentions.ts, components/MentionSuggestions.tsx). */
  mentions: {
    mentionAt(text: string, cursor: number): { start: number; query: string } | null
    mentionCandidates(
      members: ReadonlyArray<{ id: string; label: string }>,
      query: string
    ): Array<{ id: string; label: string }>
    mentionedIn(text: string, members: readonly Member[]): string[]
    isForMe(message: Message, me: Profile, loaded?: readonly Message[]): boolean
  }
  /** The renderer's pure timeline updates (src/renderer/state/timeline-ops.ts). */
  timelineOps: {
    withChangedMessages(timeline: TimelineOf, changed: ReadonlyMap<string, Message>): TimelineOf
    withReloaded(
      timeline: TimelineOf,
      page: MessagePage,
      loadedBefore: ReadonlySet<string>,
      isSent: (id: string) => boolean
    ): TimelineOf
  }
}

/** The renderer's TimelineState, as far as tests read it. */
export interface TimelineOf {
  messages: Message[]
  hasMore: boolean
  loading: boolean
  error: null
}

const ROOT = process.cwd()
const RENDERER = path.join(ROOT, 'src/renderer')

/** One module over the renderer's components, as the Vite build compiles them. */
const SOURCE = `
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { BrokenMessageRow, MessageRow } from '${RENDERER}/components/MessageRow.tsx'
import { messageRowProps, placeRosterLines } from '${RENDERER}/components/Timeline.tsx'
import { InviteList } from '${RENDERER}/components/InviteList.tsx'
import { MemberItem } from '${RENDERER}/components/MemberItem.tsx'
import { RoomItem } from '${RENDERER}/components/RoomItem.tsx'
import { RoomHeader } from '${RENDERER}/components/RoomHeader.tsx'
import { ErrorBoundary, PanelError } from '${RENDERER}/components/ErrorBoundary.tsx'
import { RosterLine } from '${RENDERER}/components/RosterLine.tsx'
import * as format from '${RENDERER}/util/format.ts'
import * as timelineOps from '${RENDERER}/state/timeline-ops.ts'
const components = {
  MessageRow, BrokenMessageRow, InviteList, MemberItem, RoomItem, RoomHeader, ErrorBoundary, PanelError,
  RosterLine
}
import { mentionAt, mentionCandidates } from '${RENDERER}/components/MentionSuggestions.tsx'
import { mentionedIn, isForMe } from '${RENDERER}/util/mentions.ts'
const mentions = { mentionAt, mentionCandidates, mentionedIn, isForMe }
export { format, timelineOps, placeRosterLines, mentions }
const noop = () => {}
const handlers = { reply: noop, react: noop, edit: noop, delete: noop, pin: noop, copy: noop, jump: noop }
export function renderRow(messages, index, me, names) {
  // as an admin sees it, with every action, and each reply's original when it is loaded
  const byId = new Map(messages.map((m) => [m.id, m]))
  const context = { byId, handlers, admin: true, highlightedId: messages[index]?.id ?? null }
  return renderToStaticMarkup(
    createElement(MessageRow, messageRowProps(messages, index, me, names, context))
  )
}
export function render(name, props) {
  return renderToStaticMarkup(createElement(components[name], props))
}
export function element(name, props) {
  return createElement(components[name], props)
}
export function renderTripped(props) {
  const boundary = new ErrorBoundary(props)
  const tripped = ErrorBoundary.getDerivedStateFromError(new Error('a bad record'))
  boundary.state = { ...boundary.state, ...tripped }
  return renderToStaticMarkup(boundary.render())
}
`

/** The bundle of SOURCE, imported; `cleanup` removes it. */
export function loadRenderer(): Promise<{
  modules: RendererModules
  cleanup: () => Promise<void>
}> {
  return importViteBundle<RendererModules>('renderer', SOURCE)
}
