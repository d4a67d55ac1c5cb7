import crypto from 'crypto'
import path from 'path'
import type { FileTransfer, RoostApi } from '../shared/api/contract.js'
import { isMessageId } from '../core/rooms/message-id.js'
import { messageJson, printable, sizeText } from './format.js'

/** The commands that send, list and fetch a room's files. */
export type FileCommand =
  | { name: 'send-file'; room: string; path: string; text: string | undefined; wait: boolean }
  | { name: 'files'; room: string }
  | { name: 'download'; room: string; message: string; out: string | undefined }

const NAMES: ReadonlySet<string> = new Set<FileCommand['name']>(['send-file', 'files', 'download'])

export function isFileCommandName(name: string): name is FileCommand['name'] {
  return NAMES.has(name)
}

export function isFileCommand(command: { name: string }): command is FileCommand {
  return NAMES.has(command.name)
}

type Take = (count: number, what: string) => string[]

export function buildFileCommand(
  name: FileCommand['name'],
  take: Take,
  flags: { text: string | undefined; out: string | undefined; wait: boolean }
): FileCommand {
  switch (name) {
    case 'send-file': {
      const [room, file] = take(2, 'ROOM PATH')
      return { name, room, path: file, text: flags.text, wait: flags.wait }
    }
    case 'files':
      return { name, room: take(1, 'a ROOM')[0] }
    case 'download': {
      const [room, message] = take(2, 'ROOM MESSAGE_ID')
      return { name, room, message, out: flags.out }
    }
  }
}

interface Output {
  value(json: unknown, text: string | string[]): void
  log(text: string): void
}

/** `remote`, `downloading 40%`, `done /path`: where a file stands, for people. */
export function transferLine(t: FileTransfer): string {
  const where =
    t.state === 'downloading'
      ? `downloading ${t.percent}%`
      : t.state === 'waiting'
        ? 'waiting for a member or the blind peer'
        : t.state === 'done' && t.path !== null
          ? `done ${printable(t.path)}`
          : t.state === 'failed' && t.error !== null
            ? `failed: ${printable(t.error.message)}`
            : t.state
  return `${t.message}  ${printable(t.file.name)}  ${sizeText(t.file.size)}  ${where}`
}

/** How long `download` waits for a message this device has not seen yet (it may be syncing). */
const ARRIVAL_TIMEOUT_MS = 30_000

/** Resolves once the room has message `id`; MESSAGE_NOT_FOUND after ARRIVAL_TIMEOUT_MS. */
async function untilMessage(api: RoostApi, room: string, id: string): Promise<void> {
  const has = (): Promise<boolean> =>
    api.fileTransfer(room, id).then(
      () => true,
      (err: unknown) => {
        if ((err as { code?: unknown }).code === 'MESSAGE_NOT_FOUND') return false
        throw err
      }
    )
  // a typo is no message that may still arrive
  if (!isMessageId(id) || (await has())) return
  let wake: () => void = () => {}
  const stop = api.onDidReceiveMessage((e) => {
    if (e.room === room) wake()
  })
  const deadline = Date.now() + ARRIVAL_TIMEOUT_MS
  try {
    while (Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        wake = resolve
        setTimeout(resolve, Math.max(0, deadline - Date.now()))
      })
      if (await has()) return
    }
  } finally {
    stop()
  }
  await api.fileTransfer(room, id) // throws MESSAGE_NOT_FOUND
}

/** Paths go to the core absolute: it may be a `roost serve` started in another folder. */
export async function runFileCommand(
  command: FileCommand,
  api: RoostApi,
  out: Output
): Promise<void> {
  const room = await api.resolveRoom(command.room)
  switch (command.name) {
    case 'send-file': {
      // Ctrl-C stops the send, also in a `roost serve` this command only talks to
      const upload = 'cli-' + crypto.randomBytes(8).toString('hex')
      const stop = (): void => void api.cancelSend(room, upload).catch(() => {})
      process.on('SIGINT', stop)
      let percentShown = -1
      const progress = api.onDidProgressSend((e) => {
        const percent = e.size === 0 ? 100 : Math.floor((e.bytes / e.size) * 100)
        if (e.upload !== upload || percent === percentShown) return
        percentShown = percent
        out.log(`sending ${percent}% (${e.bytes} of ${e.size} bytes)`)
      })
      let message
      try {
        message = await api.sendFile(room, {
          path: path.resolve(command.path),
          text: command.text,
          upload
        })
      } finally {
        process.off('SIGINT', stop)
        progress()
      }
      // --wait: until a member or blind peer has the message; closing waits for its blind
      // peers to hold the file's blocks too (a few seconds at most)
      const shown = command.wait ? await api.waitSent(room, message.id) : message
      out.value(messageJson(shown), shown.id)
      return
    }
    case 'files':
      for (const t of await api.files(room)) out.value(t, transferLine(t))
      return
    case 'download': {
      await untilMessage(api, room, command.message)
      let shown = -1
      const stop = api.onDidChangeFileTransfer(({ transfer }) => {
        if (transfer.message !== command.message || transfer.percent === shown) return
        shown = transfer.percent
        out.log(
          `${transfer.state} ${transfer.percent}% (${transfer.bytes} of ${transfer.file.size} bytes)`
        )
      })
      try {
        const done = await api.download(room, command.message, {
          out: command.out === undefined ? undefined : path.resolve(command.out)
        })
        out.value(done, done.path ?? '')
      } finally {
        stop()
      }
    }
  }
}
