import type { Attachment, OutgoingFile } from '../state/types'
import { shownFileName } from '../util/file-kind'
import { formatBytes } from '../util/format'
import { Icon } from './Icon'

export interface AttachmentTrayProps {
  attachments: readonly Attachment[]
  outgoing: readonly OutgoingFile[]
  onRemove: (id: number) => void
  /** Stops a file being sent (by its upload token). */
  onCancelSend: (upload: string) => void
}

function outgoingPercent(file: OutgoingFile): number {
  if (file.size <= 0) return 100
  return Math.min(100, Math.max(0, Math.floor((file.bytes / file.size) * 100)))
}

/** Above the composer: the files to send with the next message, and those being sent. */
export function AttachmentTray(props: AttachmentTrayProps) {
  const { attachments, outgoing, onRemove, onCancelSend } = props
  if (attachments.length === 0 && outgoing.length === 0) return null
  return (
    <div className="attachment-tray" data-testid="attachment-tray">
      {outgoing.map((file) => {
        const percent = outgoingPercent(file)
        const name = shownFileName(file.name)
        return (
          <div key={file.upload} className="attachment sending" data-testid="file-sending">
            <Icon name="file" size={18} />
            <div className="attachment-body">
              <div className="file-name" title={name}>
                <bdi>{name}</bdi>
              </div>
              <div className="file-meta">
                {file.phase === 'uploading' ? 'Preparing' : 'Encrypting'} {percent}% ·{' '}
                {formatBytes(file.size)}
              </div>
              <div
                className="file-progress"
                role="progressbar"
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={percent}
              >
                <div className="file-progress-bar" style={{ width: `${percent}%` }} />
              </div>
            </div>
            <button
              type="button"
              className="icon-button"
              data-testid="file-sending-cancel"
              aria-label={`Stop sending ${name}`}
              title="Stop sending"
              onClick={() => onCancelSend(file.upload)}
            >
              <Icon name="close" size={14} />
            </button>
          </div>
        )
      })}
      {attachments.map((attachment) => {
        const name = shownFileName(attachment.file.name)
        return (
          <div key={attachment.id} className="attachment" data-testid="attachment">
            {attachment.thumbnail !== null ? (
              <img className="attachment-thumb" src={attachment.thumbnail} alt="" />
            ) : (
              <Icon name="file" size={18} />
            )}
            <div className="attachment-body">
              <div className="file-name" title={name}>
                <bdi>{name}</bdi>
              </div>
              <div className="file-meta">{formatBytes(attachment.file.size)}</div>
            </div>
            <button
              type="button"
              className="icon-button"
              data-testid="attachment-remove"
              aria-label={`Remove ${name}`}
              title="Remove"
              onClick={() => onRemove(attachment.id)}
            >
              <Icon name="close" size={14} />
            </button>
          </div>
        )
      })}
    </div>
  )
}
