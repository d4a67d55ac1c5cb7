const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Every formatter here takes any value a view or a peer can hand it (a hostile sender's clock of
 * 8.7e15, NaN, a string) and never throws: what no Date can hold shows as a placeholder.
 */
export const UNKNOWN_TIME = '--:--'
export const UNKNOWN_DATE = 'Unknown date'

/** The Date for `ts`, or null when `ts` is no time a Date can hold. */
export function validDate(ts: unknown): Date | null {
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return null
  const date = new Date(ts)
  return Number.isNaN(date.getTime()) ? null : date
}

/** For a `<time dateTime>`: the ISO form, or undefined (no attribute) for an invalid time. */
export function isoDateTime(ts: unknown): string | undefined {
  return validDate(ts)?.toISOString()
}

function startOfDay(ts: unknown): number {
  const d = validDate(ts)
  if (d === null) return NaN
  d.setHours(0, 0, 0, 0)
  return d.getTime()
}

/** Two invalid times are the same (unknown) day, so a run of them gets one separator. */
export function sameDay(a: unknown, b: unknown): boolean {
  const x = startOfDay(a)
  const y = startOfDay(b)
  return Number.isNaN(x) ? Number.isNaN(y) : x === y
}

/**
 * One formatter per set of options, made once: `toLocaleString` and its kin build a new one on
 * every call, which costs more than the rest of a message row (scrolling renders rows by the
 * hundred). The same output: those methods format with exactly such a formatter.
 */
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatWith(date: Date, options: Intl.DateTimeFormatOptions): string {
  const key = JSON.stringify(options)
  let formatter = formatters.get(key)
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat(undefined, options)
    formatters.set(key, formatter)
  }
  return formatter.format(date)
}

function safely(ts: unknown, fallback: string, format: (date: Date) => string): string {
  const date = validDate(ts)
  if (date === null) return fallback
  try {
    return format(date)
  } catch {
    return fallback
  }
}

export function formatTime(ts: unknown): string {
  return safely(ts, UNKNOWN_TIME, (d) => formatWith(d, { hour: 'numeric', minute: '2-digit' }))
}

/** Day separator label: Today, Yesterday, or the full date. */
export function formatDay(ts: unknown, now = Date.now()): string {
  return safely(ts, UNKNOWN_DATE, (d) => {
    const days = Math.round((startOfDay(now) - startOfDay(ts)) / DAY_MS)
    if (days === 0) return 'Today'
    if (days === 1) return 'Yesterday'
    const sameYear = d.getFullYear() === new Date(now).getFullYear()
    return formatWith(
      d,
      sameYear
        ? { weekday: 'long', day: 'numeric', month: 'long' }
        : { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
    )
  })
}

/** Sidebar time: the time today, the weekday this week, else the date. */
export function formatShort(ts: unknown, now = Date.now()): string {
  return safely(ts, UNKNOWN_TIME, (d) => {
    const days = Math.round((startOfDay(now) - startOfDay(ts)) / DAY_MS)
    if (days === 0) return formatTime(ts)
    if (days >= 0 && days < 7) return formatWith(d, { weekday: 'short' })
    return formatWith(d, { day: 'numeric', month: 'short' })
  })
}

export function formatDateTime(ts: unknown): string {
  return safely(ts, UNKNOWN_DATE, (d) => formatWith(d, { dateStyle: 'medium', timeStyle: 'short' }))
}

export function formatKiB(bytes: unknown): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes)) return '? KiB'
  const kib = bytes / 1024
  return (Number.isInteger(kib) ? String(kib) : kib.toFixed(1)) + ' KiB'
}

/** "Catching up… 40%" for a room the core reports as syncing. */
export function syncingText(syncing: { percent: number; fastForwarding: boolean }): string {
  const percent = Number.isFinite(syncing.percent)
    ? Math.min(100, Math.max(0, Math.floor(syncing.percent)))
    : 0
  return syncing.fastForwarding && percent === 0 ? 'Catching up…' : `Catching up… ${percent}%`
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/** A file size for people: "0 B", "512 B", "1.5 MiB"; "?" for no size a file can have. */
export function formatBytes(bytes: unknown): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '? B'
  if (bytes > Number.MAX_SAFE_INTEGER) return 'over 8 PiB'
  if (bytes < 1024) return `${Math.floor(bytes)} B`
  let value = bytes / 1024
  let unit = 0
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024
    unit++
  }
  const shown = value >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1)
  return `${shown} ${BYTE_UNITS[unit]}`
}
