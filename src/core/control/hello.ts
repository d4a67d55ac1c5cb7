/** Who holds a data dir: a core that stays (serve, tail, the app) or one command's core. */
export type HolderKind = 'long-running' | 'one-shot'

/**
 * The first line a control socket sends each client. 'ready': RoostApi frames follow (a
 * long-running core, once open). 'busy': a one-shot command's core, that answers nothing and
 * closes the connection when it lets go of the data dir.
 */
export interface Hello {
  kind: HolderKind
  pid: number
  state: 'ready' | 'busy'
}

export function encodeHello(hello: Hello): string {
  return JSON.stringify({ control: 'roost', ...hello })
}

export function parseHello(line: string): Hello | null {
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const { control, kind, pid, state } = value as Record<string, unknown>
  if (control !== 'roost') return null
  if (kind !== 'long-running' && kind !== 'one-shot') return null
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid)) return null
  if (state !== 'ready' && state !== 'busy') return null
  return { kind, pid, state }
}
