import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react'
import type { NotifyLevel } from '../../shared/api/contract.js'
import { NOTIFY_LEVELS } from '../util/notify-levels'
import { Icon } from './Icon'

export interface RoomMenuProps {
  isAdmin: boolean
  notify: NotifyLevel
  onEditInfo: () => void
  onSetNotify: (level: NotifyLevel) => void
  /** This device fetches every file sent here as it arrives. */
  autoDownload: boolean
  onSetAutoDownload: (on: boolean) => void
  onLeave: () => void
  /** Also header buttons, which a narrow header folds into this menu. */
  onSearch: () => void
  onPins: () => void
}

const ITEM_SELECTOR = '[role^="menuitem"]:not([disabled])'

/**
 * The room's menu in its header: rename and topic (admins), which messages notify, search, pins,
 * leave. A menu
 * button (WAI-ARIA): arrows, Home and End move between items; Esc, Tab or a click outside closes
 * it, and Esc gives the focus back to the button.
 */
export function RoomMenu(props: RoomMenuProps) {
  const { isAdmin, notify, onEditInfo, onSetNotify, onLeave } = props
  const [open, setOpen] = useState(false)
  const rootRef = useRef<HTMLDivElement>(null)
  const buttonRef = useRef<HTMLButtonElement>(null)
  const menuId = useId()

  useEffect(() => {
    if (!open) return
    rootRef.current?.querySelector<HTMLElement>(ITEM_SELECTOR)?.focus()
    const onPointerDown = (event: PointerEvent): void => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false)
    }
    document.addEventListener('pointerdown', onPointerDown)
    return () => document.removeEventListener('pointerdown', onPointerDown)
  }, [open])

  const close = (refocus: boolean): void => {
    setOpen(false)
    if (refocus) buttonRef.current?.focus()
  }
  const choose = (action: () => void) => () => {
    close(true)
    action()
  }
  const onMenuKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const items = [...(rootRef.current?.querySelectorAll<HTMLElement>(ITEM_SELECTOR) ?? [])]
    const at = items.indexOf(document.activeElement as HTMLElement)
    const moveTo = (index: number): void => {
      event.preventDefault()
      items[(index + items.length) % items.length]?.focus()
    }
    if (event.key === 'ArrowDown') moveTo(at + 1)
    else if (event.key === 'ArrowUp') moveTo(at - 1)
    else if (event.key === 'Home') moveTo(0)
    else if (event.key === 'End') moveTo(items.length - 1)
    else if (event.key === 'Escape') {
      event.preventDefault()
      event.stopPropagation() // the menu closes, not the panel or dialog behind it
      close(true)
    } else if (event.key === 'Tab') close(false)
  }

  return (
    <div className="room-menu" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className={'button ghost' + (open ? ' pressed' : '')}
        data-testid="room-menu-open"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        aria-label="Room options"
        title="Room options"
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' && !open) {
            e.preventDefault()
            setOpen(true)
          }
        }}
      >
        <Icon name="more" />
      </button>
      {open && (
        <div
          id={menuId}
          className="room-menu-list"
          role="menu"
          aria-label="Room options"
          data-testid="room-menu"
          onKeyDown={onMenuKey}
        >
          {isAdmin && (
            <button
              type="button"
              role="menuitem"
              className="room-menu-item"
              data-testid="room-menu-info"
              onClick={choose(onEditInfo)}
            >
              Rename or set topic…
            </button>
          )}
          <div role="group" aria-label="Notify me about" className="room-menu-group">
            <div className="room-menu-heading" aria-hidden>
              Notify me about
            </div>
            {NOTIFY_LEVELS.map(([level, label]) => (
              <button
                key={level}
                type="button"
                role="menuitemradio"
                aria-checked={notify === level}
                className="room-menu-item"
                data-testid="room-menu-notify"
                data-level={level}
                onClick={choose(() => onSetNotify(level))}
              >
                <span className="room-menu-check">{notify === level && <Icon name="check" />}</span>
                {label}
              </button>
            ))}
          </div>
          <button
            type="button"
            role="menuitemcheckbox"
            aria-checked={props.autoDownload}
            className="room-menu-item"
            data-testid="room-menu-auto-download"
            onClick={choose(() => props.onSetAutoDownload(!props.autoDownload))}
          >
            <span className="room-menu-check">{props.autoDownload && <Icon name="check" />}</span>
            Download files automatically
          </button>
          <button
            type="button"
            role="menuitem"
            className="room-menu-item"
            data-testid="room-menu-search"
            onClick={choose(props.onSearch)}
          >
            Search this room
          </button>
          <button
            type="button"
            role="menuitem"
            className="room-menu-item"
            data-testid="room-menu-pins"
            onClick={choose(props.onPins)}
          >
            Pinned messages
          </button>
          <button
            type="button"
            role="menuitem"
            className="room-menu-item danger"
            data-testid="room-menu-leave"
            onClick={choose(onLeave)}
          >
            Leave room…
          </button>
        </div>
      )}
    </div>
  )
}
