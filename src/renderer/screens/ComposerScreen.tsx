import type { Room } from '../../shared/api/contract.js'
import { Composer } from '../components/Composer'
import { useActions, useAppState } from '../state/hooks'

export function ComposerScreen({ room }: { room: Room }) {
  const draft = useAppState((s) => s.drafts[room.id] ?? '')
  const actions = useActions()
  return (
    <Composer
      roomId={room.id}
      roomName={room.name}
      draft={draft}
      writable={room.writable}
      onChange={(text) => actions.setDraft(room.id, text)}
      onSend={(text) => void actions.send(room.id, text)}
    />
  )
}
