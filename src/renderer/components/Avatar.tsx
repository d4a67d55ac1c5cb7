import { colorSlot, initials } from '../util/names'
import { roomColor } from '../util/room-color'

export interface AvatarProps {
  name: string
  /** What picks the colour (a room or profile id). */
  seed: string
  /** A room's: its own colour from its key, so rooms of one name still look apart. */
  kind?: 'person' | 'room'
  size?: 'small' | 'medium' | 'large'
}

export function Avatar({ name, seed, kind = 'person', size = 'medium' }: AvatarProps) {
  if (kind === 'room') {
    return (
      <span
        className={`avatar avatar-${size}`}
        style={{ background: roomColor(seed) }}
        data-testid="room-avatar"
        aria-hidden
      >
        {initials(name)}
      </span>
    )
  }
  return (
    <span className={`avatar avatar-${size} color-${colorSlot(seed)}`} aria-hidden>
      {initials(name)}
    </span>
  )
}
