import { formatDay } from '../util/format'

export function DaySeparator({ timestamp }: { timestamp: number }) {
  return (
    <div className="day-separator" role="separator">
      <span>{formatDay(timestamp)}</span>
    </div>
  )
}
