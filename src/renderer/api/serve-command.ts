import { SERVE_INFO_PATH, type ServeInfo } from '../../shared/api/serve-info.js'

const STORAGE_KEY = 'roost.serve-command'

/** The command that starts Roost with this UI, when the page has not learnt the exact one. */
const GENERIC_COMMAND = 'roost serve --web'

/**
 * Asks this page's server how it was started (its --data and --port) and keeps the answer in
 * sessionStorage: it is shown once the server is gone, when there is no one left to ask.
 */
export async function learnServeCommand(): Promise<void> {
  try {
    const response = await fetch(SERVE_INFO_PATH, { cache: 'no-store' })
    if (!response.ok) return
    const info = (await response.json()) as Partial<ServeInfo>
    if (typeof info.command === 'string') sessionStorage.setItem(STORAGE_KEY, info.command)
  } catch {
    // an older core or none at all: the generic command stays
  }
}

/** The command to show wherever the page says how to start Roost again. */
export function serveCommand(): string {
  return sessionStorage.getItem(STORAGE_KEY) ?? GENERIC_COMMAND
}
