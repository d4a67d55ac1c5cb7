import type { Profile } from '../../shared/api/contract.js'
import { shownName } from '../../shared/text/display-names.js'
import { CreateRoomDialog } from '../components/CreateRoomDialog'
import { DeleteMessageDialog } from '../components/DeleteMessageDialog'
import { ErrorBoundary, PanelError } from '../components/ErrorBoundary'
import { InviteDialog } from '../components/InviteDialog'
import { JoinDialog } from '../components/JoinDialog'
import { LeaveRoomDialog } from '../components/LeaveRoomDialog'
import { RoomInfoDialog } from '../components/RoomInfoDialog'
import { RoomSwitcher } from '../components/RoomSwitcher'
import { useActions, useAppState } from '../state/hooks'
import { SettingsScreen } from './SettingsScreen'
import { useSortedRooms } from './use-sorted-rooms'

/** The one open dialog, if any, in its own boundary: a failure in it leaves the window as it was. */
export function DialogHost({ profile }: { profile: Profile }) {
  const dialog = useAppState((s) => s.dialog)
  const actions = useActions()
  return (
    <ErrorBoundary
      name="dialog"
      resetKey={dialog?.kind ?? null}
      fallback={() => (
        <div className="dialog-error" role="alertdialog" aria-label="Dialog error">
          <PanelError
            className="dialog-card"
            what="This dialog"
            retry={actions.closeDialog}
            actionLabel="Close"
          />
        </div>
      )}
    >
      <OpenDialog profile={profile} />
    </ErrorBoundary>
  )
}

/** The one open dialog, if any, connected to the store. */
function OpenDialog({ profile }: { profile: Profile }) {
  const dialog = useAppState((s) => s.dialog)
  const rooms = useAppState((s) => s.rooms)
  const sorted = useSortedRooms()
  const actions = useActions()
  if (dialog === null) return null
  switch (dialog.kind) {
    case 'create-room':
      return (
        <CreateRoomDialog
          busy={dialog.busy}
          error={dialog.error}
          onCreate={(name, topic) => void actions.createRoom(name, topic)}
          onClose={actions.closeDialog}
        />
      )
    case 'invite': {
      const room = rooms[dialog.room]
      return (
        <InviteDialog
          roomName={room?.name ?? ''}
          isAdmin={room?.role === 'admin'}
          invites={dialog.invites}
          created={dialog.created}
          busy={dialog.busy}
          error={dialog.error}
          onCreate={(options) => void actions.createInvite(dialog.room, options)}
          onRevoke={(id) => void actions.revokeInvite(dialog.room, id)}
          onClose={actions.closeDialog}
        />
      )
    }
    case 'join':
      return (
        <JoinDialog
          initialCode={dialog.initialCode}
          busy={dialog.busy}
          startedAt={dialog.startedAt}
          error={dialog.error}
          alreadyIn={dialog.alreadyIn}
          onJoin={(code) => void actions.join(code)}
          onClose={actions.closeDialog}
        />
      )
    case 'settings':
      return (
        <SettingsScreen profile={profile} rooms={sorted} busy={dialog.busy} error={dialog.error} />
      )
    case 'room-info': {
      const room = rooms[dialog.room]
      if (room === undefined) return null
      return (
        <RoomInfoDialog
          name={room.name}
          topic={room.topic}
          busy={dialog.busy}
          error={dialog.error}
          onSave={(update) => void actions.saveRoomInfo(dialog.room, update)}
          onClose={actions.closeDialog}
        />
      )
    }
    case 'leave-room':
      return (
        <LeaveRoomDialog
          roomName={shownName(rooms[dialog.room]?.name ?? '')}
          busy={dialog.busy}
          error={dialog.error}
          onLeave={() => void actions.confirmLeave(dialog.room)}
          onClose={actions.closeDialog}
        />
      )
    case 'delete-message':
      return (
        <DeleteMessageDialog
          theirs={dialog.message.author !== profile.id}
          busy={dialog.busy}
          error={dialog.error}
          onDelete={() => void actions.confirmDelete()}
          onClose={actions.closeDialog}
        />
      )
    case 'switcher':
      return (
        <RoomSwitcher rooms={sorted} onSelect={actions.selectRoom} onClose={actions.closeDialog} />
      )
    default:
      return missingCase(dialog)
  }
}

function missingCase(value: never): never {
  throw new Error('Unhandled dialog: ' + JSON.stringify(value))
}
