const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** '30s', '10m', '2h', '7d', '500ms' or plain seconds → ms; null when it is none of these. */
export function parseDuration(text: string): number | null {
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim())
  if (match === null) return null
  const ms = Number(match[1]) * UNITS[match[2] ?? 's']
  return Number.isSafeInteger(ms) && ms > 0 ? ms : null
}
