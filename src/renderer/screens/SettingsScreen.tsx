import { useEffect, useState } from 'react'
import type { Profile, Room } from '../../shared/api/contract.js'
import { SettingsDialog } from '../components/SettingsDialog'
import { NO_DEVICES } from '../state/device-actions'
import { useActions, useAppState } from '../state/hooks'
import type { ErrorInfo } from '../state/types'

function currentPermission(): NotificationPermission | 'unsupported' {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
}

interface Props {
  profile: Profile
  rooms: Room[]
  busy: boolean
  error: ErrorInfo | null
}

export function SettingsScreen({ profile, rooms, busy, error }: Props) {
  const config = useAppState((s) => s.config)
  const theme = useAppState((s) => s.theme)
  const devices = useAppState((s) => s.devices)
  const actions = useActions()
  useEffect(() => {
    void actions.openDevices()
    return actions.closeDevices
  }, [actions])
  const [permission, setPermission] = useState(currentPermission)
  const requestPermission = () => {
    Notification.requestPermission().then(setPermission, () => setPermission(currentPermission()))
  }
  return (
    <SettingsDialog
      profile={profile}
      config={config}
      rooms={rooms}
      theme={theme}
      busy={busy}
      error={error}
      permission={permission}
      onRequestPermission={requestPermission}
      onSetName={(name) => void actions.setName(name)}
      onSetTheme={actions.setTheme}
      onSetNotify={(room, level) => void actions.setNotify(room, level)}
      onSetKeySetting={(setting, key) => void actions.setKeySetting(setting, key)}
      onShowPhrase={actions.phrase}
      devices={{
        ...(devices ?? NO_DEVICES),
        onLink: () => void actions.makeLinkCode(),
        onUnlink: (id) => void actions.unlinkDevice(id)
      }}
      onClose={actions.closeDialog}
    />
  )
}
