import { useEffect, useId, useRef, type ReactNode } from 'react'
import { Icon } from './Icon'

export interface DialogProps {
  title: string
  onClose: () => void
  children: ReactNode
  size?: 'small' | 'medium'
  /** False while the dialog holds typed text a stray click beside it must not throw away. */
  closeOnBackdrop?: boolean
}

/**
 * A modal (native <dialog>: focus stays inside, the page behind is inert). Esc, the close button
 * and (unless `closeOnBackdrop` is false) a click on the backdrop close it; focus goes back where it was. The element marked
 * `data-autofocus` gets the focus when it opens.
 */
export function Dialog({
  title,
  onClose,
  children,
  size = 'medium',
  closeOnBackdrop = true
}: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  const onCloseRef = useRef(onClose)
  onCloseRef.current = onClose

  useEffect(() => {
    const dialog = ref.current
    if (dialog === null) return
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (!dialog.open) dialog.showModal()
    dialog.querySelector<HTMLElement>('[data-autofocus]')?.focus()
    // the browser may close it itself (Esc pressed twice quickly): keep the state in step
    const onNativeClose = (): void => onCloseRef.current()
    dialog.addEventListener('close', onNativeClose)
    return () => {
      dialog.removeEventListener('close', onNativeClose)
      if (dialog.open) dialog.close()
      if (previous?.isConnected) previous.focus()
    }
  }, [])

  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${size}`}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
      onMouseDown={(event) => {
        if (event.target === ref.current && closeOnBackdrop) onClose()
      }}
    >
      <div className="dialog-content">
        <header className="dialog-header">
          <h2 id={titleId}>{title}</h2>
          <button
            type="button"
            className="icon-button"
            data-testid="dialog-close"
            aria-label="Close"
            onClick={onClose}
          >
            <Icon name="close" />
          </button>
        </header>
        <div className="dialog-body">{children}</div>
      </div>
    </dialog>
  )
}
