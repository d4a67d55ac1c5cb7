import { importViteBundle } from '../helpers/vite-bundle.js'
import path from 'path'

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
    cancelSend(ctx: unknown, room: string, upload: string): void
    sendAttachments(
      ctx: unknown,
      room: string,
      caption: string,
      replyTo: string | undefined
    ): Promise<void>
  }
  Store: new <S>(initial: S) => { getState(): S; subscribe(listener: () => void): () => void }
  BoundedSet: new (max: number) => { add(item: string): void; has(item: string): boolean }
  /** The bundle's own class: errors the fake core throws must be of it, as over RPC. */
  RoostError: new (code: string, message: string) => Error & { code: string }
}

const ROOT = process.cwd()
const RENDERER = path.join(ROOT, 'src/renderer')

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
import { RoostError } from '${ROOT}/src/shared/api/errors.ts'
const components = { FileAttachment, FileCard, AttachmentTray, ImageViewer }
export { fileKind, formatBytes, dataUrlBytes, toBase64, fileSend, Store, BoundedSet, RoostError }
export function render(name, props) {
  return renderToStaticMarkup(createElement(components[name], props))
}
`

/** The bundle of SOURCE, imported; `cleanup` removes it. */
export function loadFileComponents(): Promise<{
  modules: FileModules
  cleanup: () => Promise<void>
}> {
  return importViteBundle<FileModules>('files', SOURCE)
}
