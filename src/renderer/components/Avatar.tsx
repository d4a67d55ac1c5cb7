import { colorSlot, initials } from '../util/names'

export interface AvatarProps {
  name: string
  /** What picks the colour (a room or profile id). */
  seed: string
  size?: 'small' | 'medium' | 'large'
}

export function Avatar({ name, seed, size = 'medium' }: AvatarProps) {
  return (
    <span className={`avatar avatar-${size} color-${colorSlot(seed)}`} aria-hidden>
      {initials(name)}
    </span>
  )
}
