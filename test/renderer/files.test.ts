import test, { type Test } from 'brittle'
import type {
  FileInfo,
  FileTransfer,
  FileTransferState,
  Profile
} from '../../src/shared/api/contract.js'
import { runsWhenOpened } from '../../src/shared/api/file-open.js'
import { loadRenderer } from '../core/fuzz/render.js'
import { messageFixture } from '../helpers/message-fixture.js'
import { loadFileComponents, type FileModules } from './render-files.js'

const ME: Profile = { id: 'me'.padEnd(52, 'y'), name: 'Me' }
const THEM = 'th'.padEnd(52, 'o')
/** A real 1×1 PNG. */
const PNG_URL =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=='

function fileInfo(over: Record<string, unknown> = {}): FileInfo {
  return {
    name: 'photo.png',
    size: 1234,
    type: 'image/png',
    hash: 'ab'.repeat(32),
    width: 640,
    height: 400,
    thumbnail: PNG_URL,
    direct: false,
    unreadable: false,
    ...over
  } as FileInfo
}

/** Every value a view or a hostile sender can put in a file's fields. */
const HOSTILE: Array<Record<string, unknown>> = [
  {},
  { size: 0 },
  { size: -1 },
  { size: NaN },
  { size: Infinity },
  { size: 2 ** 64 },
  { size: 1e308 },
  { size: '12' },
  { size: null },
  { name: 'gnp.\u202eexe.png' },
  { name: '\u2067evil\u2069.exe' },
  { name: 'x'.repeat(10_000) + '.png' },
  { name: '' },
  { name: null },
  { name: 42 },
  { type: 'image/svg+xml', thumbnail: 'data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=' },
  { type: null },
  { type: 'text/html', thumbnail: PNG_URL },
  { thumbnail: 'javascript:alert(1)' },
  { thumbnail: 'data:image/png;base64,' + 'A'.repeat(100_000) },
  { thumbnail: 'data:text/html;base64,PGI+aGk8L2I+' },
  { thumbnail: 17 },
  { thumbnail: null },
  { width: 0, height: 0 },
  { width: NaN, height: 5 },
  { width: 1e9, height: 1e9 },
  { width: -5, height: -5 },
  { width: 1, height: 100_000 },
  { direct: true },
  { direct: 'yes' },
  { unreadable: true },
  { unreadable: true, name: '\u202eexe.txt', size: NaN }
]

const STATES: Array<FileTransferState | string> = [
  'remote',
  'waiting',
  'downloading',
  'done',
  'failed',
  'cancelled',
  'nonsense'
]

function transfer(file: FileInfo, state: string, over: Record<string, unknown> = {}): FileTransfer {
  return {
    room: 'room',
    message: `${THEM}.1`,
    file,
    state,
    bytes: 10,
    percent: 40,
    fetched: 10,
    path: state === 'done' ? '/home/bob/Downloads/photo.png' : null,
    error: state === 'failed' ? { code: 'FILE_HASH_MISMATCH', message: 'bad \u202eexe' } : null,
    mine: false,
    ...over
  } as FileTransfer
}

async function files(t: Test): Promise<FileModules> {
  const { modules, cleanup } = await loadFileComponents()
  t.teardown(cleanup)
  return modules
}

test('formatBytes: any size shows, in people’s units', async (t) => {
  const { formatBytes } = await files(t)
  t.is(formatBytes(0), '0 B')
  t.is(formatBytes(1023), '1023 B')
  t.is(formatBytes(1024), '1 KiB')
  t.is(formatBytes(1300 * 1024), '1.3 MiB')
  t.is(formatBytes(5 * 1024 ** 3), '5 GiB')
  t.is(formatBytes(2 ** 64), 'over 8 PiB')
  for (const bad of [-1, NaN, Infinity, '12', null, undefined]) {
    t.is(formatBytes(bad), '? B', `formatBytes(${String(bad)})`)
  }
})

test('thumbnails: only small base64 PNG/JPEG/GIF/WebP data URLs; base64 in slices', async (t) => {
  const { fileKind, dataUrlBytes, toBase64 } = await files(t)
  t.is(fileKind.safeThumbnail(PNG_URL), PNG_URL)
  t.is(fileKind.safeThumbnail('data:image/svg+xml;base64,PHN2Zz48L3N2Zz4='), null, 'never SVG')
  t.is(fileKind.safeThumbnail('javascript:alert(1)'), null)
  t.is(fileKind.safeThumbnail('data:image/png;base64,' + 'A'.repeat(30_000)), null, 'too big')
  t.is(fileKind.isInlineImageType('image/svg+xml'), false)
  t.is(fileKind.isInlineImageType('image/webp'), true)
  t.is(dataUrlBytes('data:image/png;base64,AAAA'), 3)
  t.is(dataUrlBytes('data:image/png;base64,AA=='), 1)
  const bytes = new Uint8Array(600 * 1024).map((_, i) => i % 251)
  t.is(toBase64(bytes), Buffer.from(bytes).toString('base64'), 'half a MiB, as Node encodes it')
  t.is(fileKind.shownFileName('a\u202egnp.exe'), 'agnp.exe', 'no bidi override is shown')
  const long = fileKind.shownFileName('y'.repeat(5000) + '.pdf')
  t.ok(long.endsWith('.pdf') && long.includes('…'), 'a long name is cut in the middle')
  t.ok([...long].length <= 80, 'to at most 80 characters')
  t.is(fileKind.previewText({ text: '', file: fileInfo() }), 'Image: photo.png')
  t.is(
    fileKind.previewText({ text: '', file: fileInfo({ type: 'application/pdf' }) }),
    'File: photo.png'
  )
  t.is(fileKind.previewText({ text: 'caption', file: fileInfo() }), 'caption')
})

test('file attachments render any stored value, in every transfer state, never throwing', async (t) => {
  const { render } = await files(t)
  const noop = (): void => {}
  let rendered = 0
  for (const over of HOSTILE) {
    const file = fileInfo(over)
    for (const state of [null, ...STATES]) {
      for (const [url, open] of [
        [null, null],
        ['/files/room/x.1?sig=00', null],
        ['/files/room/x.1', noop] // the desktop app
      ] as const) {
        const html = render('FileAttachment', {
          file,
          transfer: state === null ? null : transfer(file, state, { percent: NaN }),
          url,
          actions: { download: noop, cancel: noop, open },
          onView: noop
        })
        rendered++
        t.absent(/[\u202a-\u202e\u2066-\u2069]/.test(html), 'no bidi control reaches the page')
        t.absent(html.includes('javascript:'), 'no script URL')
        t.absent(html.includes('image/svg'), 'never an SVG image')
        t.absent(html.includes('data:text'), 'no other data: URL')
        if (file.unreadable) t.ok(html.includes('Attachment could not be read'))
        if (state === 'waiting' && !file.unreadable) {
          const says =
            file.direct === true
              ? 'Waiting for a member (it is too large for the blind peer)'
              : 'Waiting for a member or the blind peer'
          t.ok(html.includes(says), 'a waiting download says what it waits for')
        }
      }
    }
  }
  t.comment(`${rendered} renders`)
  const card = render('FileCard', {
    file: fileInfo({ type: 'application/pdf', size: 0 }),
    transfer: transfer(fileInfo(), 'downloading', { percent: 250 }),
    url: null,
    actions: { download: noop, cancel: noop, open: null }
  })
  t.ok(card.includes('0 B'), 'size 0 shows')
  t.ok(card.includes('aria-valuenow="100"'), 'a percent over 100 shows as 100')
  t.ok(card.includes('data-testid="file-cancel"'), 'a download under way can be cancelled')
  const failed = render('FileCard', {
    file: fileInfo({ type: 'application/pdf' }),
    transfer: transfer(fileInfo(), 'failed'),
    url: null,
    actions: { download: noop, cancel: noop, open: null }
  })
  t.ok(failed.includes('Try again'), 'a failed download can be tried again')
  const tray = render('AttachmentTray', {
    attachments: [{ id: 1, file: { name: '\u202eexe.txt', size: NaN }, thumbnail: null }],
    outgoing: [{ upload: 'u', name: 'big.iso', size: 0, phase: 'sealing', bytes: 5 }],
    onRemove: noop
  })
  t.ok(tray.includes('Encrypting 100%'), 'a size-0 send shows as complete, not NaN')
  t.absent(tray.includes('NaN'))
})

test('the desktop app: Open and Show in folder for a saved file, Save for an inline copy', async (t) => {
  const { render } = await files(t)
  const noop = (): void => {}
  const pdf = fileInfo({ name: 'report.pdf', type: 'application/pdf' })
  const card = (over: Record<string, unknown>, open: (() => void) | null = noop): string =>
    render('FileCard', {
      file: pdf,
      transfer: transfer(pdf, 'done', { path: '/home/bob/Downloads/report.pdf', ...over }),
      url: open === null ? '/files/room/x.1?sig=00' : '/files/room/x.1',
      actions: { download: noop, cancel: noop, open }
    })
  const saved = card({})
  t.ok(saved.includes('data-testid="file-open"'), 'a saved file opens')
  t.ok(saved.includes('data-testid="file-show"'), 'and shows in its folder')
  t.absent(saved.includes('data-testid="file-save"'), 'no browser Save in the desktop app')

  const program = card({ path: '/home/bob/Downloads/report.pdf.exe' })
  t.absent(program.includes('data-testid="file-open"'), 'a program is never opened with a click')
  t.ok(program.includes('data-testid="file-show"'), 'only shown in its folder')
  t.absent(card({ path: 'C:\\Users\\bob\\Downloads\\x.SCR. ' }).includes('file-open'))

  const inline = card({ path: '/data/media/report.pdf', preview: true })
  t.absent(inline.includes('file-open'), 'the inline copy in the data dir is not offered')
  t.ok(inline.includes('data-testid="file-download"'), 'Save puts a copy in Downloads instead')
  t.ok(card({ path: null, mine: true }).includes('file-download'), 'own file: Save first')

  const browser = card({}, null)
  t.ok(browser.includes('data-testid="file-save"'), 'the browser saves through the page')
  t.absent(browser.includes('file-open') || browser.includes('file-show'))
})

test('runsWhenOpened: programs, scripts and shortcuts by their last extension', async (t) => {
  for (const name of ['a.exe', 'A.EXE', 'x.pdf.exe', 'setup.msi', 'run.sh', 'x.exe. ', 'l.lnk']) {
    t.ok(runsWhenOpened(name), name)
  }
  for (const name of ['a.pdf', 'exe', 'photo.png', 'notes.txt', 'archive.zip', 'C:\\a.b\\c']) {
    t.absent(runsWhenOpened(name), name)
  }
})

test('MessageRow renders file messages with hostile values, caption under the file', async (t) => {
  const { modules, cleanup } = await loadRenderer()
  t.teardown(cleanup)
  const names = new Map([[THEM, 'Mallory']])
  const messages = HOSTILE.map((over, i) =>
    messageFixture({
      id: `${THEM}.${i}`,
      author: THEM,
      seq: i,
      text: i % 2 === 0 ? '' : 'the caption',
      file: fileInfo(over)
    })
  )
  for (let i = 0; i < messages.length; i++) {
    const html = modules.renderRow(messages, i, ME, names)
    t.ok(html.includes('data-testid="message"'), `row ${i}`)
    if (messages[i].text !== '') {
      t.ok(html.indexOf('the caption') > html.indexOf('data-testid="file-'), 'the caption is under')
    }
  }
})

/** A session's context over a fake core that records what the composer asks of it. */
function fakeSession(
  modules: FileModules,
  failSend = false,
  hooks: { staged?: () => void; sending?: (upload: string) => Promise<void> } = {}
) {
  const state = {
    attachments: {},
    outgoing: {},
    drafts: { room: 'caption' },
    timelines: {},
    transfers: {},
    fileUrls: {},
    sentImages: {},
    composing: {},
    scrollRequest: 0,
    toasts: []
  }
  const store = new modules.Store(state)
  const chunks: Buffer[] = []
  const sent: Array<Record<string, unknown>> = []
  const outgoingSeen: number[] = []
  const cancels: unknown[][] = []
  store.subscribe(() => {
    const list = (store.getState() as any).outgoing.room as unknown[] | undefined
    outgoingSeen.push(list?.length ?? 0)
  })
  let seq = 0
  const api = {
    async stageUpload(opts: { staged?: string; data: string }) {
      if (opts.staged !== undefined && opts.staged !== 'stage-1') throw new Error('bad token')
      chunks.push(Buffer.from(opts.data, 'base64'))
      hooks.staged?.()
      return { staged: 'stage-1', bytes: chunks.reduce((n, c) => n + c.length, 0) }
    },
    async cancelSend(room: string, upload: string, staged?: string) {
      cancels.push([room, upload, staged])
      return true
    },
    async sendFile(room: string, opts: Record<string, unknown>) {
      if (failSend) throw Object.assign(new Error('not now'), { code: 'NOT_WRITABLE' })
      await hooks.sending?.(String(opts.upload))
      sent.push(opts)
      return messageFixture({
        id: `me.${seq++}`,
        room,
        author: ME.id,
        text: String(opts.text ?? '')
      })
    },
    async fileTransfer() {
      throw new Error('not needed here')
    }
  }
  const ctx = {
    api,
    store,
    bridge: null,
    refreshRoom: () => {},
    refreshRosterLines: () => {},
    sentIds: new modules.BoundedSet(10)
  }
  return { ctx, store, chunks, sent, outgoingSeen, cancels }
}

test('sending files: staged in chunks of at most 512 KiB, one message each, caption last', async (t) => {
  const modules = await files(t)
  const { ctx, store, chunks, sent, outgoingSeen } = fakeSession(modules)
  const big = Buffer.from(Array.from({ length: 1300 * 1024 }, (_, i) => i % 253))
  modules.fileSend.attachFiles(ctx, 'room', [
    new File([big], 'big.bin', { type: 'application/octet-stream' }),
    new File([], 'empty.txt', { type: 'text/plain' })
  ])
  t.is((store.getState() as any).attachments.room.length, 2, 'both wait in the tray')
  await modules.fileSend.sendAttachments(ctx, 'room', 'caption', undefined)
  t.alike(
    chunks.map((c) => c.length),
    [512 * 1024, 512 * 1024, 276 * 1024, 0],
    'three chunks for 1.3 MiB, one (empty) for an empty file'
  )
  t.ok(Buffer.concat(chunks.slice(0, 3)).equals(big), 'the staged bytes are the file')
  t.is(sent.length, 2, 'one message per file')
  t.alike(
    sent.map((s) => [s.staged, s.name, s.type, s.text]),
    [
      ['stage-1', 'big.bin', 'application/octet-stream', undefined],
      ['stage-1', 'empty.txt', 'text/plain', 'caption']
    ],
    'each sent from its staging, the caption with the last'
  )
  t.ok(
    sent.every((s) => typeof s.upload === 'string'),
    'each carries its upload token'
  )
  t.ok(Math.max(...outgoingSeen) >= 1, 'the files showed as sending meanwhile')
  const after = store.getState() as any
  t.alike(after.attachments.room, [], 'the tray is empty')
  t.alike(after.outgoing.room, [], 'and nothing is left sending')
  t.is(after.drafts.room, '', 'the caption left the composer')
})

test('sending files: a failure puts the files and the caption back', async (t) => {
  const modules = await files(t)
  const { ctx, store } = fakeSession(modules, true)
  modules.fileSend.attachFiles(ctx, 'room', [new File(['x'], 'a.txt', { type: 'text/plain' })])
  await modules.fileSend.sendAttachments(ctx, 'room', 'caption', undefined)
  const after = store.getState() as any
  t.is(after.attachments.room.length, 1, 'the file is back in the tray')
  t.is(after.drafts.room, 'caption', 'and the caption in the composer')
  t.is(after.toasts.length, 1, 'the failure is shown')
  t.alike(after.outgoing.room, [], 'nothing shows as sending')
})

test('sending files: Stop while staging drops the staging and sends the rest', async (t) => {
  const modules = await files(t)
  let session: ReturnType<typeof fakeSession> | null = null
  let stopped = false
  const stopFirst = (): void => {
    if (stopped || session === null) return
    stopped = true
    const first = (session.store.getState() as any).outgoing.room[0]
    modules.fileSend.cancelSend(session.ctx, 'room', first.upload)
  }
  session = fakeSession(modules, false, { staged: stopFirst })
  const { ctx, store, sent, cancels, chunks } = session
  modules.fileSend.attachFiles(ctx, 'room', [
    new File([Buffer.alloc(1300 * 1024)], 'big.bin'),
    new File(['x'], 'small.txt', { type: 'text/plain' })
  ])
  await modules.fileSend.sendAttachments(ctx, 'room', 'caption', undefined)
  t.is(chunks.length, 2, 'staging stopped after the chunk under way (then the small file)')
  t.is(cancels.length, 1, 'the core was told once')
  t.is(cancels[0][0], 'room')
  t.is(cancels[0][2], 'stage-1', 'with the staging to drop')
  t.alike(
    sent.map((s) => [s.name, s.text]),
    [['small.txt', 'caption']],
    'only the other file went out, with the caption'
  )
  const after = store.getState() as any
  t.alike(after.toasts, [], 'a stop is no error')
  t.alike(after.attachments.room, [], 'nor is the file put back')
  t.alike(after.outgoing.room, [], 'nothing shows as sending')
})

test('sending files: Stop while the core seals gives the caption back', async (t) => {
  const modules = await files(t)
  let session: ReturnType<typeof fakeSession> | null = null
  session = fakeSession(modules, false, {
    sending: async (upload) => {
      if (session === null) return
      modules.fileSend.cancelSend(session.ctx, 'room', upload)
      await Promise.resolve()
      throw new modules.RoostError('SEND_CANCELLED', 'The send of a.txt was cancelled')
    }
  })
  const { ctx, store, sent, cancels } = session
  modules.fileSend.attachFiles(ctx, 'room', [new File(['x'], 'a.txt', { type: 'text/plain' })])
  await modules.fileSend.sendAttachments(ctx, 'room', 'caption', undefined)
  t.is(cancels.length, 1, 'the core was asked to stop it')
  t.is(cancels[0][2], 'stage-1', 'and to drop its staging')
  t.alike(sent, [], 'nothing was sent')
  const after = store.getState() as any
  t.is(after.drafts.room, 'caption', 'the caption is back in the composer')
  t.alike(after.toasts, [], 'a stop is no error')
  t.alike(after.attachments.room, [], 'the file is not put back')
})
