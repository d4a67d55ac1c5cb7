import type { FileInfo, FileTransfer } from '../../shared/api/contract.js'
import {
  isInlineImageType,
  isPreviewImage,
  pixelSize,
  safeThumbnail,
  shownFileName
} from '../util/file-kind'
import { formatBytes } from '../util/format'
import { FileCard, TransferBar, TransferButtons, transferText, type FileActions } from './FileCard'

/** The longest side of an image in the timeline, in CSS pixels. */
const MAX_SHOWN_SIDE = 320

export interface FileAttachmentProps {
  file: FileInfo
  transfer: FileTransfer | null
  url: string | null
  /** The full image this page sent, as a data: URL, when it still holds it. */
  sentImage?: string | null
  actions: FileActions | null
  /** Opens the image viewer; null: the image is not a button. */
  onView: (() => void) | null
}

/** The box an image takes: its own proportions within MAX_SHOWN_SIDE, or a default. */
function boxOf(file: FileInfo): { width: number; height: number } {
  const size = pixelSize(file)
  if (size === null) return { width: 240, height: 180 }
  const scale = Math.min(1, MAX_SHOWN_SIDE / Math.max(size.width, size.height))
  return {
    width: Math.max(48, Math.round(size.width * scale)),
    height: Math.max(32, Math.round(size.height * scale))
  }
}

/** An image: its preview at once, the full image over it once this device has it. */
function ImageAttachment(
  props: FileAttachmentProps & { thumbnail: string | null; full: string | null }
) {
  const { file, transfer, url, actions, onView, thumbnail, full } = props
  const name = shownFileName(file.name)
  const box = boxOf(file)
  const status = transferText(transfer, url)
  const image = (
    <span
      className="file-image"
      style={{ aspectRatio: `${box.width} / ${box.height}`, width: box.width }}
    >
      {thumbnail !== null && (
        <img
          className="file-image-thumb"
          data-testid="file-thumbnail"
          src={thumbnail}
          alt=""
          draggable={false}
        />
      )}
      {full !== null && (
        <img
          className="file-image-full"
          data-testid="file-image-full"
          src={full}
          alt={name}
          draggable={false}
        />
      )}
    </span>
  )
  return (
    <div
      className="file-image-block"
      data-testid="file-image"
      data-full={full !== null ? 'true' : 'false'}
    >
      {onView === null ? (
        image
      ) : (
        <button
          type="button"
          className="file-image-button"
          aria-label={`View ${name}`}
          onClick={onView}
        >
          {image}
        </button>
      )}
      <TransferBar transfer={transfer} />
      <div className="file-meta">
        <span className="file-image-name" title={name}>
          <bdi>{name}</bdi>
        </span>
        {' · '}
        <span data-testid="file-size">{formatBytes(file.size)}</span>
        {status !== null && (
          <span className="file-status" data-testid="file-status">
            {' · '}
            {status}
          </span>
        )}
        <TransferButtons transfer={transfer} url={url} actions={actions} />
      </div>
    </div>
  )
}

/**
 * A message's file: an image (PNG, JPEG, GIF, WebP with a preview), a card for anything else,
 * or a quiet line when it cannot be read. Takes any value a view can hold without throwing.
 */
export function FileAttachment(props: FileAttachmentProps) {
  const { file } = props
  if (file.unreadable === true) {
    return (
      <div className="file-unreadable" data-testid="file-unreadable">
        Attachment could not be read
      </div>
    )
  }
  const full = isInlineImageType(file.type) ? (props.url ?? props.sentImage ?? null) : null
  const thumbnail = isPreviewImage(file) ? safeThumbnail(file.thumbnail) : null
  if (full !== null || thumbnail !== null) {
    return <ImageAttachment {...props} thumbnail={thumbnail} full={full} />
  }
  return <FileCard file={file} transfer={props.transfer} url={props.url} actions={props.actions} />
}
