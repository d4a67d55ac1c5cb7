import type { DevicesState } from '../state/types'
import { DeviceLinkResult } from './DeviceLinkResult'
import { DeviceList } from './DeviceList'
import { ErrorNote } from './ErrorNote'

export interface DeviceSettingsProps extends DevicesState {
  onLink: () => void
  onUnlink: (id: string) => void
}

/** Settings → Devices: this profile's devices, and a code to link another one. */
export function DeviceSettings(props: DeviceSettingsProps) {
  const { link, linking } = props
  return (
    <section className="settings-section" data-testid="settings-devices">
      <h3 className="section-title">Devices</h3>
      <p className="muted small">
        Every device linked to your profile is you in all your rooms. Unlink one you lost or no
        longer use.
      </p>
      {props.error !== null && <ErrorNote error={props.error} />}
      <DeviceList devices={props.list} unlinking={props.unlinking} onUnlink={props.onUnlink} />
      {props.linked && (
        <p className="small saved-note" role="status" data-testid="link-device-done">
          Linked: the new device has your rooms now.
        </p>
      )}
      {link !== null && <DeviceLinkResult key={link.code} link={link} />}
      <div>
        <button
          type="button"
          className="button"
          data-testid="link-device-open"
          disabled={linking}
          onClick={props.onLink}
        >
          {linking ? 'Making a code…' : link === null ? 'Link a device' : 'Make a new code'}
        </button>
      </div>
    </section>
  )
}
