import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react'
import { VirtualRow } from './VirtualRow'

export interface VirtualListProps {
  count: number
  keyAt: (index: number) => string
  renderRow: (index: number) => ReactNode
  /** Height assumed for a row until it has been rendered and measured. */
  estimatedHeight: number
  /** The view came within reach of the first row (time to load older ones). */
  onNearTop: () => void
  onAtBottomChange: (atBottom: boolean) => void
  /** Changing it scrolls to the last row and keeps the view there as rows are added. */
  scrollRequest: number
  /** The row to open at, near the top of the view (the first unread), instead of the last row. */
  startAt?: string | null
  /** A row to bring into view (a jump): again each time `request` changes. */
  scrollTo?: { key: string; request: number } | null
  label: string
}

/** Rows rendered beyond each edge of the view, so fast scrolling shows no gaps. */
const OVERSCAN_PX = 800
const NEAR_TOP_PX = 600
const BOTTOM_SLACK_PX = 24
/** How much of what came before `startAt` stays in view above it. */
const START_CONTEXT_PX = 48

/** The last row whose top is at or above `y`. */
function rowAt(offsets: Float64Array, count: number, y: number): number {
  let lo = 0
  let hi = count - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (offsets[mid] <= y) lo = mid
    else hi = mid - 1
  }
  return Math.max(0, lo)
}

interface Sized {
  keys: readonly string[]
  heights: Float64Array
}

/**
 * The heights of `keys` in order: taken from the previous order where a row kept its place or
 * moved by the rows added above it (a page) or below it, looked up by key only for new rows and
 * rows measured since (`measured`, with the index each was rendered at).
 */
function alignedHeights(
  previous: Sized | null,
  keys: readonly string[],
  byKey: ReadonlyMap<string, number>,
  measured: ReadonlyMap<string, number>,
  estimate: number
): Sized {
  const n = keys.length
  if (previous !== null && previous.keys === keys) {
    for (const [key, hint] of measured) {
      const index = indexOfKey(keys, key, hint, 0)
      if (index >= 0) previous.heights[index] = byKey.get(key) ?? estimate
    }
    return previous
  }
  const heights = new Float64Array(n)
  const old = previous?.keys ?? []
  const shift = n - old.length
  for (let i = 0; i < n; i++) {
    const key = keys[i]
    let j = -1
    if (old[i] === key) j = i
    else if (i - shift >= 0 && old[i - shift] === key) j = i - shift
    heights[i] =
      j >= 0 && !measured.has(key) ? (previous as Sized).heights[j] : (byKey.get(key) ?? estimate)
  }
  return { keys, heights }
}

/** Where `key` is in `keys`: at `hint`, or `shift` rows further (rows added above), or anywhere. */
function indexOfKey(keys: readonly string[], key: string, hint: number, shift: number): number {
  if (keys[hint] === key) return hint
  if (keys[hint + shift] === key) return hint + shift
  return keys.indexOf(key)
}

/**
 * A windowed list of variable-height rows: only the rows near the view are in the DOM, so a
 * timeline of any length scrolls like a short one. Rows are measured as they render. The view
 * either sticks to the bottom (newest) or holds its first visible row in place while rows are
 * added above it or change height, so loading older pages never makes it jump.
 */
export function VirtualList(props: VirtualListProps) {
  const { count, keyAt, renderRow, estimatedHeight, onNearTop, onAtBottomChange } = props
  const scrollRef = useRef<HTMLDivElement>(null)
  const heights = useRef(new Map<string, number>())
  /** `heights` in the order of the last `keys`, so laying out 100,000 rows looks up none by key. */
  const sizes = useRef<Sized | null>(null)
  /** Rows measured since the last layout, each with the index it was rendered at. */
  const measured = useRef(new Map<string, number>())
  const unmeasured = useRef(false)
  const [version, setVersion] = useState(0)
  const [view, setView] = useState({ top: 0, height: 0 })
  const stick = useRef(true)
  /** The row held in place, where it was (`index`, in the keys of its time) and by how much. */
  const anchor = useRef<{ key: string; index: number; delta: number } | null>(null)
  const reportedBottom = useRef(true)
  const started = useRef(false)

  const keys = useMemo(() => {
    const list = new Array<string>(count)
    for (let i = 0; i < count; i++) list[i] = keyAt(i)
    return list
  }, [count, keyAt])
  const offsets = useMemo(() => {
    const sized = alignedHeights(
      sizes.current,
      keys,
      heights.current,
      measured.current,
      estimatedHeight
    )
    sizes.current = sized
    measured.current.clear()
    const list = new Float64Array(keys.length + 1)
    const rowHeights = sized.heights
    for (let i = 0; i < keys.length; i++) list[i + 1] = list[i] + rowHeights[i]
    return list
    // `version` counts changes to `heights` (a ref)
  }, [keys, estimatedHeight, version])
  const total = offsets[count]
  // fewer rows than fill the view sit at its bottom, like any chat
  const shift = Math.max(0, view.height - total)
  const latest = useRef({ keys, offsets, shift })
  latest.current = { keys, offsets, shift }

  const observer = useMemo(
    () =>
      new ResizeObserver((entries) => {
        let changed = false
        for (const entry of entries) {
          const element = entry.target as HTMLElement
          const key = element.dataset.key
          const height = element.offsetHeight
          if (key === undefined || height === 0 || heights.current.get(key) === height) continue
          heights.current.set(key, height)
          measured.current.set(key, Number(element.dataset.index))
          changed = true
        }
        if (changed) setVersion((v) => v + 1)
      }),
    []
  )
  useEffect(() => () => observer.disconnect(), [observer])

  const measure = (key: string, index: number, height: number): void => {
    if (height === 0 || heights.current.get(key) === height) return
    heights.current.set(key, height)
    measured.current.set(key, index)
    unmeasured.current = true
  }

  // the container's own size (window resized, panel opened)
  useEffect(() => {
    const element = scrollRef.current
    if (element === null) return
    const resize = new ResizeObserver(() =>
      setView((v) =>
        v.height === element.clientHeight ? v : { ...v, height: element.clientHeight }
      )
    )
    resize.observe(element)
    return () => resize.disconnect()
  }, [])

  /** The key of a row a jump asked for, until it is laid out and held in view. */
  const jumpRequested = useRef<string | null>(null)
  const jumpKey = props.scrollTo?.key ?? null
  const jumpRequest = props.scrollTo?.request ?? 0
  useLayoutEffect(() => {
    if (jumpKey !== null) jumpRequested.current = jumpKey
  }, [jumpKey, jumpRequest])

  const firstRequest = useRef(true)
  const stickRequested = useRef(false)
  useLayoutEffect(() => {
    if (firstRequest.current) {
      firstRequest.current = false
      return
    }
    stickRequested.current = true
  }, [props.scrollRequest])

  /** The layout on screen (as of the last commit or scroll event) and where the view was in it. */
  const shown = useRef<{
    keys: string[]
    offsets: Float64Array
    shift: number
    top: number
  } | null>(null)

  /** The view moved (user, keyboard, a script): stick to the bottom or hold the row now at its top. */
  const follow = (
    element: HTMLDivElement,
    rows: readonly string[],
    tops: Float64Array,
    rowShift: number
  ): number => {
    const top = element.scrollTop
    const atBottom = tops[rows.length] - top - element.clientHeight <= BOTTOM_SLACK_PX
    stick.current = atBottom
    if (atBottom !== reportedBottom.current) {
      reportedBottom.current = atBottom
      onAtBottomChange(atBottom)
    }
    if (rows.length > 0) {
      // never anchor on the first row (the "loading older" row): what loads goes above it,
      // so holding it in place would keep the view at the top and load page after page
      const index = Math.min(Math.max(1, rowAt(tops, rows.length, top - rowShift)), rows.length - 1)
      anchor.current = { key: rows[index], index, delta: top - tops[index] }
    }
    if (shown.current !== null) shown.current.top = top
    return top
  }

  // after every render: settle new measurements, then put the view where it belongs
  useLayoutEffect(() => {
    if (unmeasured.current) {
      // rows rendered with estimated heights were measured: lay out again before paint
      unmeasured.current = false
      setVersion((v) => v + 1)
    }
    const element = scrollRef.current
    if (element === null) return
    // a scroll whose event has not come yet (it comes after this render): follow it, in the
    // layout it happened in, instead of putting the view back where the last event left it
    const before = shown.current
    const moved = before !== null && Math.abs(element.scrollTop - before.top) >= 1
    // (not the browser holding the view inside a list that got shorter: that is no scroll)
    const clamped =
      moved &&
      element.scrollTop < before.top &&
      element.scrollTop >= element.scrollHeight - element.clientHeight - 1
    if (moved && !clamped) follow(element, before.keys, before.offsets, before.shift)
    if (stickRequested.current) {
      stickRequested.current = false
      stick.current = true
    }
    const startIndex = started.current || props.startAt == null ? -1 : keys.indexOf(props.startAt)
    if (!started.current && startIndex >= 0) {
      // opened with something to start at: hold that row instead of sticking to the bottom
      started.current = true
      stick.current = false
      anchor.current = { key: keys[startIndex], index: startIndex, delta: -START_CONTEXT_PX }
    }
    const jumpIndex = jumpRequested.current === null ? -1 : keys.indexOf(jumpRequested.current)
    if (jumpIndex >= 0) {
      // a jump: the row a third of the way down, what led to it above it
      jumpRequested.current = null
      started.current = true
      stick.current = false
      const delta = -Math.round(element.clientHeight / 3)
      anchor.current = { key: keys[jumpIndex], index: jumpIndex, delta }
    }
    const maxTop = Math.max(0, total - element.clientHeight)
    let want: number | null = null
    if (stick.current) want = maxTop
    else if (anchor.current !== null) {
      const { key, index: was } = anchor.current
      const index = indexOfKey(
        keys,
        key,
        was,
        before === null ? 0 : keys.length - before.keys.length
      )
      if (index >= 0) want = Math.min(maxTop, offsets[index] + anchor.current.delta)
    }
    if (want !== null && Math.abs(element.scrollTop - want) >= 1) element.scrollTop = want
    const top = element.scrollTop
    shown.current = { keys, offsets, shift, top }
    // told now, not at the next scroll event: what is on screen decides what counts as read
    const atBottom = total - top - element.clientHeight <= BOTTOM_SLACK_PX
    if (atBottom !== reportedBottom.current) {
      reportedBottom.current = atBottom
      onAtBottomChange(atBottom)
    }
    if (top !== view.top || element.clientHeight !== view.height) {
      setView({ top, height: element.clientHeight })
    }
  })

  useEffect(() => {
    const element = scrollRef.current
    if (element !== null && element.scrollTop < NEAR_TOP_PX) onNearTop()
  })

  const onScroll = (): void => {
    const element = scrollRef.current
    if (element === null) return
    const { keys: rows, offsets: tops, shift } = latest.current
    const top = follow(element, rows, tops, shift)
    setView({ top, height: element.clientHeight })
  }

  const rows: ReactNode[] = []
  if (count > 0) {
    const first = rowAt(offsets, count, view.top - shift - OVERSCAN_PX)
    const last = rowAt(offsets, count, view.top - shift + view.height + OVERSCAN_PX)
    for (let i = first; i <= last; i++) {
      rows.push(
        <VirtualRow
          key={keys[i]}
          rowKey={keys[i]}
          index={i}
          top={offsets[i] + shift}
          observer={observer}
          onMeasure={measure}
        >
          {renderRow(i)}
        </VirtualRow>
      )
    }
  }

  return (
    <div
      ref={scrollRef}
      className="vlist"
      onScroll={onScroll}
      role="log"
      aria-label={props.label}
      tabIndex={0}
    >
      <div className="vlist-inner" style={{ height: total + shift }}>
        {rows}
      </div>
    </div>
  )
}
