import type { NotifyLevel, Room } from '../../shared/api/contract.js'
import { NOTIFY_LEVELS } from '../util/notify-levels'

export interface NotifySettingsProps {
  rooms: Room[]
  /** The browser's notification permission, or 'unsupported'. */
  permission: NotificationPermission | 'unsupported'
  onRequestPermission: () => void
  onSetNotify: (room: string, level: NotifyLevel) => void
}

/** Which new messages notify, per room (this device only). */
export function NotifySettings({
  rooms,
  permission,
  onRequestPermission,
  onSetNotify
}: NotifySettingsProps) {
  return (
    <>
      {permission === 'default' && (
        <p className="settings-note">
          Desktop notifications are not allowed yet.{' '}
          <button type="button" className="button small" onClick={onRequestPermission}>
            Allow notifications
          </button>
        </p>
      )}
      {permission === 'denied' && (
        <p className="settings-note">
          Notifications are blocked for Roost in this browser; allow them in its site settings.
        </p>
      )}
      {rooms.length === 0 ? (
        <p className="muted">No rooms yet.</p>
      ) : (
        <ul className="notify-list">
          {rooms.map((room) => (
            <li key={room.id} className="notify-item">
              <label htmlFor={`notify-${room.id}`}>{room.name}</label>
              <select
                id={`notify-${room.id}`}
                className="input"
                data-testid="notify-level"
                data-room-id={room.id}
                value={room.notify}
                onChange={(e) => onSetNotify(room.id, e.target.value as NotifyLevel)}
              >
                {NOTIFY_LEVELS.map(([level, label]) => (
                  <option key={level} value={level}>
                    {label}
                  </option>
                ))}
              </select>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
