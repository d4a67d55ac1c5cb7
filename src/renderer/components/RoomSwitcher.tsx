import { useState, type KeyboardEvent } from 'react'
import type { Room, RoomId } from '../../shared/api/contract.js'
import { Avatar } from './Avatar'
import { Dialog } from './Dialog'

export interface RoomSwitcherProps {
  rooms: Room[]
  onSelect: (id: RoomId) => void
  onClose: () => void
}

/** Ctrl+K: type part of a room's name, arrows to choose, Enter to open. */
export function RoomSwitcher({ rooms, onSelect, onClose }: RoomSwitcherProps) {
  const [query, setQuery] = useState('')
  const [index, setIndex] = useState(0)
  const q = query.trim().toLowerCase()
  const matches = q === '' ? rooms : rooms.filter((r) => r.name.toLowerCase().includes(q))
  const selected = Math.min(index, Math.max(0, matches.length - 1))
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault()
      const step = event.key === 'ArrowDown' ? 1 : -1
      setIndex((selected + step + matches.length) % Math.max(1, matches.length))
    } else if (event.key === 'Enter' && matches[selected] !== undefined) {
      event.preventDefault()
      onSelect(matches[selected].id)
    }
  }
  const listId = 'switcher-list'
  return (
    <Dialog title="Go to a room" onClose={onClose} size="small">
      <input
        className="input"
        data-testid="switcher-input"
        data-autofocus
        role="combobox"
        aria-expanded
        aria-controls={listId}
        aria-activedescendant={matches[selected] ? `switcher-${matches[selected].id}` : undefined}
        placeholder="Room name"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value)
          setIndex(0)
        }}
        onKeyDown={onKeyDown}
      />
      <ul className="switcher-list" id={listId} role="listbox" aria-label="Rooms">
        {matches.length === 0 && (
          <li className="muted switcher-empty">No room matches “{query}”</li>
        )}
        {matches.map((room, i) => (
          <li
            key={room.id}
            id={`switcher-${room.id}`}
            role="option"
            aria-selected={i === selected}
            className={'switcher-item' + (i === selected ? ' selected' : '')}
            data-testid="switcher-item"
            onMouseEnter={() => setIndex(i)}
            onClick={() => onSelect(room.id)}
          >
            <Avatar name={room.name} seed={room.id} kind="room" size="small" />
            <span className="switcher-name">{room.name}</span>
            {room.unread > 0 && <span className="unread-count">{room.unread}</span>}
          </li>
        ))}
      </ul>
      <p className="muted small">↑ ↓ to choose · Enter to open · Esc to close</p>
    </Dialog>
  )
}
