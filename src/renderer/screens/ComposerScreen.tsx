import type { Room } from '../../shared/api/contract.js'
import { Composer } from '../components/Composer'
import { useActions, useAppState } from '../state/hooks'

export function ComposerScreen({ room }: { room: Room }) {
  const draft = useAppState((s) => s.drafts[room.id] ?? '')
  const removed = useAppState((s) => {
    const members = s.members[room.id]
    return members === undefined ? null : members.find((m) => m.isMe)?.removed === true
  })
  const actions = useActions()
  return (
    <Composer
      roomId={room.id}
      roomName={room.name}
      draft={draft}
      writable={room.writable}
      removed={removed}
      onLeave={() => void actions.leaveRoom(room.id)}
      onChange={(text) => actions.setDraft(room.id, text)}
      onSend={(text) => void actions.send(room.id, text)}
    />
  )
}
