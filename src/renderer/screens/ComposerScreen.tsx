import { useMemo } from 'react'
import type { Room } from '../../shared/api/contract.js'
import { labelFor, roomNames } from '../../shared/text/display-names.js'
import { Composer } from '../components/Composer'
import { useActions, useAppState } from '../state/hooks'
import type { Attachment, OutgoingFile } from '../state/types'

const NO_ATTACHMENTS: Attachment[] = []
const NO_OUTGOING: OutgoingFile[] = []

export function ComposerScreen({ room }: { room: Room }) {
  const draft = useAppState((s) => s.drafts[room.id] ?? '')
  const removed = useAppState((s) => {
    const members = s.members[room.id]
    return members === undefined ? null : members.find((m) => m.isMe)?.removed === true
  })
  const composing = useAppState((s) => s.composing[room.id] ?? null)
  const members = useAppState((s) => s.members[room.id])
  const names = useMemo(() => roomNames(members ?? []), [members])
  const mentionable = useMemo(
    () =>
      (members ?? [])
        .filter((m) => !m.isMe && !m.removed)
        .map((m) => ({ id: m.id, label: names.get(m.id) ?? m.name })),
    [members, names]
  )
  const attachments = useAppState((s) => s.attachments[room.id]) ?? NO_ATTACHMENTS
  const outgoing = useAppState((s) => s.outgoing[room.id]) ?? NO_OUTGOING
  const actions = useActions()
  return (
    <Composer
      roomId={room.id}
      roomName={room.name}
      draft={draft}
      writable={room.writable}
      removed={removed}
      unlinked={room.unlinked}
      onLeave={() => void actions.leaveRoom(room.id)}
      onChange={(text) => actions.setDraft(room.id, text)}
      onSend={(text) => void actions.send(room.id, text)}
      composing={composing}
      composingAuthor={
        composing === null
          ? ''
          : labelFor(names, composing.message.author, composing.message.authorName)
      }
      mentionable={mentionable}
      onCancelComposing={() => actions.cancelComposing(room.id)}
      onSaveEdit={(text) => void actions.saveEdit(room.id, text)}
      onEditLast={() => actions.editLast(room.id)}
      attachments={attachments}
      outgoing={outgoing}
      onAttach={(files) => actions.attachFiles(room.id, files)}
      onRemoveAttachment={(id) => actions.removeAttachment(room.id, id)}
      onCancelSend={(upload) => actions.cancelSend(room.id, upload)}
    />
  )
}
