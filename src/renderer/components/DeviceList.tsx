import { useState } from 'react'
import type { Device } from '../../shared/api/contract.js'
import { RevokeConfirm } from './RevokeConfirm'
import { describeLastSeen, describeLinked, describeRooms, shortDeviceId } from './device-text'

export interface DeviceListProps {
  devices: Device[] | null
  /** The device being unlinked now. */
  unlinking: string | null
  onUnlink: (id: string) => void
}

/** What the rooms say about one device: when it was linked, last seen, in how many rooms. */
function deviceFacts(device: Device): string {
  const facts = [describeLinked(device)]
  if (!device.current) facts.push(describeLastSeen(device))
  facts.push(device.revoked ? 'unlinked' : describeRooms(device))
  return facts.filter((fact) => fact !== null).join(' · ')
}

/**
 * This profile's devices as the rooms know them, this one first. Another device that is still
 * linked can be unlinked, after a second step.
 */
export function DeviceList({ devices, unlinking, onUnlink }: DeviceListProps) {
  const [confirming, setConfirming] = useState<string | null>(null)
  if (devices === null) return <p className="muted small">Loading devices…</p>
  return (
    <ul className="invite-list" data-testid="device-list">
      {devices.map((device) => {
        const canUnlink = !device.current && !device.revoked
        return (
          <li
            key={device.id}
            className="invite-item"
            data-testid="device-row"
            data-id={device.id}
            data-current={device.current}
            data-revoked={device.revoked}
          >
            {device.current && <span className="badge state-active">This device</span>}
            {device.revoked && (
              <span className="badge state-revoked" data-testid="device-unlinked">
                Unlinked
              </span>
            )}
            <span className="invite-item-text">
              <span className="invite-item-note mono" title={device.id}>
                Device {shortDeviceId(device.id)}
              </span>
              <span className="muted small" data-testid="device-facts">
                {deviceFacts(device)}
              </span>
            </span>
            {canUnlink && confirming !== device.id && (
              <button
                type="button"
                className="button small danger"
                data-testid="device-unlink"
                disabled={unlinking === device.id}
                onClick={() => setConfirming(device.id)}
              >
                {unlinking === device.id ? 'Unlinking…' : 'Unlink'}
              </button>
            )}
            {canUnlink && confirming === device.id && (
              <RevokeConfirm
                label="Unlink this device?"
                question="Unlink? Every room ignores what it writes from now on, for good."
                actLabel="Unlink"
                testIdPrefix="device-unlink"
                onConfirm={() => {
                  setConfirming(null)
                  onUnlink(device.id)
                }}
                onCancel={() => setConfirming(null)}
              />
            )}
          </li>
        )
      })}
    </ul>
  )
}
