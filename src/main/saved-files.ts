/**
 * The page's way to the files its core saved: app://roost/files/<room>/<message> serves one
 * (so the window shows full images), and IPC.file opens one or shows it in its folder. Both ask
 * the core which file a message saved (savedFile); the page never names a path.
 */
import { pathToFileURL } from 'url'
import { net, shell } from 'electron'
import { savedFile, type SavedFile } from '../core/files/saved-file.js'
import { runsWhenOpened } from '../shared/api/file-open.js'
import { fileHeaders, parseFileRoute } from '../shared/api/file-route.js'
import type { FileOpenResult } from '../shared/app-bridge.js'
import { connectApi } from '../shared/rpc/connect-api.js'
import type { CoreProcess } from './core-process.js'

type Core = Pick<CoreProcess, 'connectMain'>

/** The response to app://roost/files/…: the saved file, or 404. */
export async function fileResponse(core: Core, pathname: string): Promise<Response> {
  const ids = parseFileRoute(pathname)
  const saved = ids === null ? null : await savedFileOf(core, ids.room, ids.message)
  if (saved === null) return new Response('Not found', { status: 404 })
  const body = await net.fetch(pathToFileURL(saved.path).toString())
  return new Response(body.body, { status: 200, headers: fileHeaders(saved.file, saved.size) })
}

/** Opens a saved file in its app, or shows it in the OS file manager. */
export async function openSavedFile(
  core: Core,
  room: unknown,
  message: unknown,
  how: unknown
): Promise<FileOpenResult> {
  if (typeof room !== 'string' || typeof message !== 'string') return 'not-saved'
  if (how !== 'open' && how !== 'show') return 'failed'
  const saved = await savedFileOf(core, room, message)
  if (saved === null) return 'not-saved'
  if (how === 'show') {
    shell.showItemInFolder(saved.path)
    return 'ok'
  }
  // judged by the name on disk, which is what the OS goes by
  if (runsWhenOpened(saved.path)) return 'runs-when-opened'
  return (await shell.openPath(saved.path)) === '' ? 'ok' : 'failed'
}

/**
 * One question to the core on a channel of its own, closed after: a standing connection would
 * be sent every event of every room.
 */
async function savedFileOf(core: Core, room: string, message: string): Promise<SavedFile | null> {
  const transport = core.connectMain()
  if (transport === null) return null
  const api = connectApi(transport)
  try {
    return await savedFile(api, room, message)
  } finally {
    api.close()
  }
}
