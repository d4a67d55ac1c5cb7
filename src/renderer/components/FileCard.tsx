import type { FileInfo, FileTransfer } from '../../shared/api/contract.js'
import { runsWhenOpened } from '../../shared/api/file-open.js'
import { plainLine, shownFileName } from '../util/file-kind'
import { formatBytes } from '../util/format'
import { Icon } from './Icon'

/** What a file's card or image can ask for; null renders no buttons (a read-only view). */
export interface FileActions {
  download(): void
  cancel(): void
  /** The desktop app's Open and Show in folder; null in a browser. */
  open: ((how: 'open' | 'show') => void) | null
}

export interface FileCardProps {
  file: FileInfo
  /** Where it stands on this device; null until the core has said. */
  transfer: FileTransfer | null
  /** In a browser, the page's link to the saved file; null otherwise. */
  url: string | null
  actions: FileActions | null
}

/** 0–100, whatever a transfer reports. */
export function percentOf(transfer: FileTransfer | null): number {
  const p = transfer?.percent
  return typeof p === 'number' && Number.isFinite(p) ? Math.min(100, Math.max(0, Math.floor(p))) : 0
}

/** The line under the name: what is happening to the file here. */
export function transferText(transfer: FileTransfer | null, url: string | null): string | null {
  if (transfer === null) return null
  switch (transfer.state) {
    case 'remote':
      return null
    case 'waiting':
      // over the room's cap for blind peers: only members' devices hold it
      return transfer.file?.direct === true
        ? 'Waiting for a member (it is too large for the blind peer)'
        : 'Waiting for a member or the blind peer'
    case 'downloading':
      return `Downloading… ${percentOf(transfer)}%`
    case 'done':
      if (url !== null || transfer.path === null || transfer.preview === true) return null
      return 'Saved in ' + plainLine(transfer.path)
    case 'failed':
      return 'Download failed' + (transfer.error ? ': ' + plainLine(transfer.error.message) : '')
    case 'cancelled':
      return 'Download cancelled'
    default:
      return null
  }
}

/** A progress bar for a transfer under way; nothing otherwise. */
export function TransferBar({ transfer }: { transfer: FileTransfer | null }) {
  if (transfer?.state !== 'downloading' && transfer?.state !== 'waiting') return null
  const percent = percentOf(transfer)
  return (
    <div
      className="file-progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent}
      data-testid="file-progress"
    >
      <div className="file-progress-bar" style={{ width: `${percent}%` }} />
    </div>
  )
}

/** The card's buttons for where the file stands: download, cancel, save, try again. */
export function TransferButtons(props: Omit<FileCardProps, 'file'>) {
  const { transfer, url, actions } = props
  if (actions === null || transfer === null) return null
  const state = transfer.state
  if (state === 'waiting' || state === 'downloading') {
    return (
      <button
        type="button"
        className="file-button"
        data-testid="file-cancel"
        onClick={actions.cancel}
      >
        Cancel
      </button>
    )
  }
  const open = actions.open
  if (state === 'done' && open !== null && transfer.path !== null && transfer.preview !== true) {
    return <OpenButtons name={transfer.path} open={open} />
  }
  if (state === 'done' && url !== null && open === null) {
    return (
      <a className="file-button" data-testid="file-save" href={url} download="">
        <Icon name="download" size={14} /> Save
      </a>
    )
  }
  if (state === 'done' && transfer.path !== null && open === null) return null
  // the sender's own file is here already: the button saves a copy where downloads go
  const label =
    state === 'failed'
      ? 'Try again'
      : state === 'cancelled'
        ? 'Resume'
        : state === 'done'
          ? 'Save'
          : 'Download'
  return (
    <button
      type="button"
      className="file-button"
      data-testid="file-download"
      onClick={actions.download}
    >
      <Icon name="download" size={14} /> {label}
    </button>
  )
}

/** The desktop app's buttons for a saved file; one that would run as a program is only shown. */
function OpenButtons({ name, open }: { name: string; open: (how: 'open' | 'show') => void }) {
  return (
    <span className="file-buttons">
      {!runsWhenOpened(name) && (
        <button
          type="button"
          className="file-button"
          data-testid="file-open"
          onClick={() => open('open')}
        >
          Open
        </button>
      )}
      <button
        type="button"
        className="file-button"
        data-testid="file-show"
        onClick={() => open('show')}
      >
        Show in folder
      </button>
    </span>
  )
}

/** A file that is not shown as an image: its name, size, progress and what can be done. */
export function FileCard({ file, transfer, url, actions }: FileCardProps) {
  const name = shownFileName(file.name)
  const status = transferText(transfer, url)
  return (
    <div className="file-card" data-testid="file-card" data-state={transfer?.state ?? 'unknown'}>
      <span className="file-card-icon">
        <Icon name="file" size={22} />
      </span>
      <div className="file-card-body">
        <div className="file-name" title={name} data-testid="file-name">
          <bdi>{name}</bdi>
        </div>
        <div className="file-meta">
          <span data-testid="file-size">{formatBytes(file.size)}</span>
          {status !== null && (
            <span className="file-status" data-testid="file-status">
              {' · '}
              {status}
            </span>
          )}
        </div>
        <TransferBar transfer={transfer} />
      </div>
      <TransferButtons transfer={transfer} url={url} actions={actions} />
    </div>
  )
}
