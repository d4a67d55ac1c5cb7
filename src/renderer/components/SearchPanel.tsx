import { useEffect, useRef } from 'react'
import type { Message } from '../../shared/api/contract.js'
import type { SearchState } from '../state/types'
import { ErrorNote } from './ErrorNote'
import { MessageList } from './MessageList'
import { SidePanel } from './SidePanel'

export interface SearchPanelProps {
  search: SearchState
  /** The room searched, by name; null when every room is. */
  roomName: string | null
  names: ReadonlyMap<string, string>
  roomNameOf: (room: string) => string
  onQuery: (query: string) => void
  onOpen: (message: Message) => void
  onClose: () => void
}

/** Find messages by their words (this device's own index); a hit opens in its room. */
export function SearchPanel(props: SearchPanelProps) {
  const { search, roomName, names, onQuery, onOpen, onClose } = props
  const input = useRef<HTMLInputElement>(null)
  useEffect(() => input.current?.focus(), [search.room])
  const results = search.results
  return (
    <SidePanel
      title={roomName === null ? 'Search all rooms' : `Search ${roomName}`}
      testId="search-panel"
      onClose={onClose}
    >
      <input
        ref={input}
        type="search"
        className="search-input"
        data-testid="search-input"
        aria-label="Search messages"
        placeholder="Words to find"
        value={search.query}
        onChange={(e) => onQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && results !== null && results.length > 0) onOpen(results[0])
        }}
      />
      {search.error !== null && <ErrorNote error={search.error} />}
      {results !== null && results.length === 0 && search.query.trim() !== '' && !search.busy && (
        <p className="muted small" data-testid="search-empty">
          No message has those words
        </p>
      )}
      {results !== null && results.length > 0 && (
        <MessageList
          messages={results}
          names={names}
          roomNameOf={roomName === null ? props.roomNameOf : null}
          onOpen={onOpen}
          testId="search-results"
        />
      )}
    </SidePanel>
  )
}
