// The bench's printed tables: figures beside their raw baseline, with the ratio.

/** One figure of Roost beside the raw baseline's. */
export interface Row {
  figure: string
  unit: string
  roost: number
  baseline: number
}

export function fmt(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (Math.abs(value) >= 100) return value.toFixed(0)
  if (Math.abs(value) >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

export function table(header: string[], body: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)))
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')
}

/** Rows as a table with Roost, baseline and ratio columns. */
export function rowsTable(rows: Row[]): string {
  const body = rows.map((row) => [
    row.figure,
    row.unit,
    fmt(row.roost),
    fmt(row.baseline),
    fmt(row.roost / row.baseline)
  ])
  return table(['figure', 'unit', 'Roost', 'baseline', 'ratio'], body)
}

/** Each row's ratio (Roost / baseline), keyed "figure (unit)" for the final JSON line. */
export function ratios(rows: Row[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const row of rows) out[`${row.figure} (${row.unit})`] = row.roost / row.baseline
  return out
}
