import { useEffect, useState } from 'react'
import type { DeviceLink } from '../../shared/api/contract.js'
import { formatTime } from '../util/format'
import { CopyButton } from './CopyButton'
import { QrCode } from './QrCode'

/** setTimeout's longest delay; a later expiry just re-checks then. */
const MAX_TIMER_MS = 2 ** 31 - 1

/** True from `expires` on (re-rendering then, so an expired code is never shown as usable). */
function useExpired(expires: number): boolean {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (!Number.isFinite(expires) || now >= expires) return
    const timer = setTimeout(() => setNow(Date.now()), Math.min(expires - now, MAX_TIMER_MS))
    return () => clearTimeout(timer)
  }, [expires, now])
  return !Number.isFinite(expires) || now >= expires
}

/** A link code just made: to copy or scan on the new device, what to do there, until when. */
export function DeviceLinkResult({ link }: { link: DeviceLink }) {
  const expired = useExpired(link.expires)
  if (expired) {
    return (
      <p className="muted small" role="status" data-testid="link-device-expired">
        That code has expired: make a new one.
      </p>
    )
  }
  return (
    <section className="invite-result" aria-label="Link code" data-testid="link-device-result">
      <QrCode text={link.code} label="QR code of the link code" testId="link-device-qr" />
      <div className="invite-result-text">
        <div className="field-label">Link code</div>
        <div className="copy-row">
          <code className="invite-code" data-testid="link-device-code">
            {link.code}
          </code>
          <CopyButton text={link.code} label="Copy code" testId="link-device-copy" />
        </div>
        <p className="small">
          On the new device, choose “I already use Roost”, then “Link to a device I use”, and enter
          this code. It gets your profile and your rooms.
        </p>
        <p className="muted small" data-testid="link-device-expiry">
          Works once, until {formatTime(link.expires)}. Keep Roost open here until the new device
          has your rooms.
        </p>
      </div>
    </section>
  )
}
