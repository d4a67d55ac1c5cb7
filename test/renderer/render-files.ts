import fs from 'fs/promises'
import path from 'path'
import { pathToFileURL } from 'url'
import { build, type Plugin, type Rollup } from 'vite'

/** What the bundle of the renderer's file components exports (see SOURCE). */
export interface FileModules {
  /** renderToStaticMarkup of FileAttachment, FileCard, AttachmentTray or ImageViewer. */
  render(component: string, props: Record<string, unknown>): string
  fileKind: {
    isInlineImageType(type: unknown): boolean
    safeThumbnail(url: unknown): string | null
    isPreviewImage(file: unknown): boolean
    shownFileName(name: unknown): string
    previewText(message: unknown): string
  }
  formatBytes(bytes: unknown): string
  dataUrlBytes(url: string): number
  toBase64(bytes: Uint8Array): string
  /** The composer's file sending (state/file-send-actions.ts) and what it works with. */
  fileSend: {
    attachFiles(ctx: unknown, room: string, files: readonly File[]): void
    removeAttachment(ctx: unknown, room: string, id: number): void
    sendAttachments(
      ctx: unknown,
      room: string,
      caption: string,
      replyTo: string | undefined
    ): Promise<void>
  }
  Store: new <S>(initial: S) => { getState(): S; subscribe(listener: () => void): () => void }
  BoundedSet: new (max: number) => { add(item: string): void; has(item: string): boolean }
}

const ROOT = process.cwd()
const RENDERER = path.join(ROOT, 'src/renderer')
const ENTRY = 'virtual:roost-test-files'

const SOURCE = `
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { FileAttachment } from '${RENDERER}/components/FileAttachment.tsx'
import { FileCard } from '${RENDERER}/components/FileCard.tsx'
import { AttachmentTray } from '${RENDERER}/components/AttachmentTray.tsx'
import { ImageViewer } from '${RENDERER}/components/ImageViewer.tsx'
import * as fileKind from '${RENDERER}/util/file-kind.ts'
import { formatBytes } from '${RENDERER}/util/format.ts'
import { dataUrlBytes } from '${RENDERER}/util/thumbnail.ts'
import { toBase64 } from '${RENDERER}/util/base64.ts'
import * as fileSend from '${RENDERER}/state/file-send-actions.ts'
import { Store } from '${RENDERER}/state/store.ts'
import { BoundedSet } from '${RENDERER}/util/bounded-set.ts'
const components = { FileAttachment, FileCard, AttachmentTray, ImageViewer }
export { fileKind, formatBytes, dataUrlBytes, toBase64, fileSend, Store, BoundedSet }
export function render(name, props) {
  return renderToStaticMarkup(createElement(components[name], props))
}
`

/**
 * The renderer's file components compiled for Node by Vite (as test/core/fuzz/render.ts does
 * for the rows), into a file under dist/ that `cleanup` removes.
 */
export async function loadFileComponents(): Promise<{
  modules: FileModules
  cleanup: () => Promise<void>
}> {
  const entry: Plugin = {
    name: 'roost-test-files',
    resolveId: (id) => (id === ENTRY ? '\0' + ENTRY : null),
    load: (id) => (id === '\0' + ENTRY ? SOURCE : null)
  }
  const result = await build({
    configFile: false,
    root: ROOT,
    logLevel: 'silent',
    plugins: [entry],
    esbuild: { jsx: 'automatic' },
    build: {
      ssr: true,
      write: false,
      minify: false,
      rollupOptions: { input: ENTRY, output: { format: 'es', inlineDynamicImports: true } }
    }
  })
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[]
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk')
  if (chunk === undefined || chunk.type !== 'chunk') throw new Error('no renderer bundle')
  const dir = await fs.mkdtemp(path.join(ROOT, 'dist', 'test-files-'))
  const file = path.join(dir, 'files.mjs')
  await fs.writeFile(file, chunk.code)
  const modules = (await import(pathToFileURL(file).href)) as FileModules
  return { modules, cleanup: () => fs.rm(dir, { recursive: true, force: true }) }
}
