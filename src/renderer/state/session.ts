import { ConnectError, connectClient } from '../api/client'
import { serveCommand } from '../api/serve-command'
import { errorInfo } from '../util/error-text'
import { BoundedSet } from '../util/bounded-set'
import { createActions, type Actions } from './actions'
import type { AppContext } from './context'
import { persistDrafts } from './draft-persistence'
import { EventFeed } from './event-feed'
import { Notifier } from './notifier'
import { loadRooms, selectRoom } from './room-actions'
import { roomRefresher } from './room-refresher'
import { rosterLinesLoader } from './roster-lines-loader'
import type { Store } from './store'
import { showError } from './toast-actions'
import type { AppState } from './types'

const SENT_IDS_KEPT = 5000

export interface Session {
  actions: Actions
  close(): void
}

function fail(
  store: Store<AppState>,
  title: string,
  message: string,
  command: string | null
): void {
  store.update((s) => ({ ...s, phase: { kind: 'failed', title, message, command } }))
}

/**
 * Connects to the core, wires its events into the store, loads the profile and rooms, and
 * returns the actions the UI calls. Any failure ends in a `failed` phase with words for it.
 */
export async function startSession(store: Store<AppState>): Promise<Session | null> {
  const cleanups: Array<() => void> = []
  const close = (): void => {
    for (const cleanup of cleanups.reverse()) cleanup()
    cleanups.length = 0
  }
  try {
    const { api, bridge } = await connectClient(() => {
      close()
      if (window.roostApp !== undefined) {
        fail(
          store,
          'Roost stopped',
          'The connection to Roost’s engine was lost. Quit Roost and open it again.',
          null
        )
        return
      }
      fail(
        store,
        'Roost is not running',
        'The connection to Roost was closed: it stopped or restarted. Start it again with this command, then try again:',
        serveCommand()
      )
    })
    cleanups.push(() => api.close())
    const ctx: AppContext = {
      api,
      store,
      bridge,
      refreshRoom: () => {},
      refreshRosterLines: () => {},
      sentIds: new BoundedSet(SENT_IDS_KEPT)
    }
    const refresher = roomRefresher(api, store, (err) => showError(ctx, err))
    ctx.refreshRoom = (room) => refresher.request(room)
    const rosterLines = rosterLinesLoader(api, store, (err) => showError(ctx, err))
    ctx.refreshRosterLines = (room) => rosterLines.request(room)
    const actions = createActions(ctx)
    const notifier = new Notifier(store, bridge, (room) => selectRoom(ctx, room))
    const feed = new EventFeed(ctx, notifier)
    feed.start()
    notifier.start()
    cleanups.push(
      () => feed.close(),
      () => notifier.close()
    )
    cleanups.push(persistDrafts(store))
    cleanups.push(reportUnhandled((err) => showError(ctx, err)))
    cleanups.push(watchPage(store, () => notifier.requestPermission()))
    bridge?.onDeepLink((url) => actions.openJoin(url))

    const [profile, config] = await Promise.all([api.profile(), api.config()])
    store.update((s) => ({ ...s, profile, config }))
    if (profile !== null) await loadRooms(ctx)
    store.update((s) => ({ ...s, phase: { kind: 'ready' } }))
    return { actions, close }
  } catch (err) {
    close()
    // the connection closed while starting: that message already says what happened
    if (store.getState().phase.kind === 'failed') return null
    if (err instanceof ConnectError) fail(store, err.title, err.message, err.command)
    else fail(store, 'Roost could not start', errorInfo(err).message, null)
    return null
  }
}

/** Page visibility into the store; the first user gesture asks for notification permission. */
function watchPage(store: Store<AppState>, onFirstGesture: () => void): () => void {
  const onVisibility = (): void =>
    store.update((s) => ({ ...s, visible: document.visibilityState === 'visible' }))
  const onGesture = (): void => {
    window.removeEventListener('pointerdown', onGesture)
    window.removeEventListener('keydown', onGesture)
    onFirstGesture()
  }
  document.addEventListener('visibilitychange', onVisibility)
  window.addEventListener('pointerdown', onGesture)
  window.addEventListener('keydown', onGesture)
  return () => {
    document.removeEventListener('visibilitychange', onVisibility)
    window.removeEventListener('pointerdown', onGesture)
    window.removeEventListener('keydown', onGesture)
  }
}

/** A failure nothing caught still reaches the user as a readable toast, never silence. */
function reportUnhandled(report: (err: unknown) => void): () => void {
  const onRejection = (event: PromiseRejectionEvent): void => {
    event.preventDefault()
    report(event.reason)
  }
  window.addEventListener('unhandledrejection', onRejection)
  return () => window.removeEventListener('unhandledrejection', onRejection)
}
