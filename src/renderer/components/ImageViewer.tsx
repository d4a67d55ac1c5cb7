import { useEffect, useRef, type KeyboardEvent } from 'react'
import { Icon } from './Icon'

export interface ImageViewerProps {
  /** The image's file name, as shown. */
  name: string
  /** The full image when this device has it, else its preview. */
  src: string
  full: boolean
  /** What is happening to the full image (downloading…), or null. */
  status: string | null
  /** Its place among the room's loaded images (1-based), of `count`. */
  position: number
  count: number
  onStep: (step: 1 | -1) => void
  onClose: () => void
}

/** One image full size over the app: ← and → step through the room's images, Esc closes. */
export function ImageViewer(props: ImageViewerProps) {
  const { name, src, full, status, position, count, onStep, onClose } = props
  const ref = useRef<HTMLDialogElement>(null)
  const onCloseRef = useRef(onClose)
  onCloseRef.current = onClose

  useEffect(() => {
    const dialog = ref.current
    if (dialog === null) return
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!dialog.open) dialog.showModal()
    const onNativeClose = (): void => onCloseRef.current()
    dialog.addEventListener('close', onNativeClose)
    return () => {
      dialog.removeEventListener('close', onNativeClose)
      if (dialog.open) dialog.close()
      previous?.focus()
    }
  }, [])

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>): void => {
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault()
      event.stopPropagation()
      onStep(event.key === 'ArrowLeft' ? -1 : 1)
    }
  }
  return (
    <dialog
      ref={ref}
      className="image-viewer"
      data-testid="image-viewer"
      aria-label={`Image ${name}`}
      onKeyDown={onKeyDown}
      onClick={(e) => {
        if (e.target === e.currentTarget) onClose()
      }}
    >
      <div className="image-viewer-bar">
        <span className="image-viewer-name" title={name}>
          <bdi>{name}</bdi>
          {count > 1 && <span className="muted">{` · ${position} of ${count}`}</span>}
          {status !== null && <span className="muted">{` · ${status}`}</span>}
        </span>
        <button
          type="button"
          className="icon-button"
          data-testid="image-viewer-close"
          aria-label="Close"
          title="Close (Esc)"
          onClick={onClose}
        >
          <Icon name="close" />
        </button>
      </div>
      <div className="image-viewer-stage" onClick={onClose}>
        <img
          className={'image-viewer-image' + (full ? '' : ' preview')}
          data-testid="image-viewer-image"
          data-full={full ? 'true' : 'false'}
          src={src}
          alt={name}
          onClick={(e) => e.stopPropagation()}
        />
      </div>
      {count > 1 && (
        <>
          <button
            type="button"
            className="image-viewer-step previous"
            aria-label="Previous image"
            disabled={position <= 1}
            onClick={() => onStep(-1)}
          >
            ‹
          </button>
          <button
            type="button"
            className="image-viewer-step next"
            aria-label="Next image"
            disabled={position >= count}
            onClick={() => onStep(1)}
          >
            ›
          </button>
        </>
      )}
    </dialog>
  )
}
