import { useState, type FormEvent } from 'react'
import type { Config, NotifyLevel, Profile, Room } from '../../shared/api/contract.js'
import { MAX_NAME_CHARS } from '../../shared/api/errors.js'
import type { ErrorInfo, Theme } from '../state/types'
import { DeviceSettings, type DeviceSettingsProps } from './DeviceSettings'
import { Dialog } from './Dialog'
import { ErrorNote } from './ErrorNote'
import { NotifySettings, type NotifySettingsProps } from './NotifySettings'
import { PhraseSettings } from './PhraseSettings'

export interface SettingsDialogProps {
  profile: Profile
  config: Config | null
  rooms: Room[]
  theme: Theme
  busy: boolean
  error: ErrorInfo | null
  permission: NotifySettingsProps['permission']
  onRequestPermission: () => void
  onSetName: (name: string) => void
  onSetTheme: (theme: Theme) => void
  onSetNotify: (room: string, level: NotifyLevel) => void
  onSetKeySetting: (setting: KeySetting, key: string) => void
  onShowPhrase: () => Promise<string>
  devices: DeviceSettingsProps
  onClose: () => void
}

type KeySetting = 'blindPeer' | 'relay'

const KEY_SETTINGS: Array<{ setting: KeySetting; title: string; about: string; testid: string }> = [
  {
    setting: 'blindPeer',
    title: 'Blind peer for new rooms',
    about:
      'An always-online server of yours that keeps an encrypted copy of your rooms, so people catch up while you are offline. It cannot read messages. Paste the key that roost-blind-peer prints; leave empty for none.',
    testid: 'settings-blind-peer'
  },
  {
    setting: 'relay',
    title: 'Relay',
    about:
      "Used only when a direct connection cannot work (both sides behind strict NATs). Any blind peer relays; your rooms' blind peers are used too. It passes on encrypted data it cannot read. Leave empty for none.",
    testid: 'settings-relay'
  }
]

/** One key setting: its explanation and a key field with Save. */
function KeySettingForm(props: {
  title: string
  about: string
  testid: string
  saved: string
  busy: boolean
  onSave: (key: string) => void
}) {
  const [key, setKey] = useState(props.saved)
  const save = (event: FormEvent) => {
    event.preventDefault()
    props.onSave(key)
  }
  return (
    <section className="settings-section">
      <h3 className="section-title">{props.title}</h3>
      <p className="muted small">{props.about}</p>
      <form className="inline-form" onSubmit={save}>
        <input
          className="input mono"
          data-testid={props.testid}
          aria-label={props.title}
          value={key}
          spellCheck={false}
          placeholder="None"
          onChange={(e) => setKey(e.target.value)}
        />
        <button
          type="submit"
          className="button"
          data-testid={`${props.testid}-save`}
          disabled={props.busy || key.trim() === props.saved}
        >
          Save
        </button>
      </form>
    </section>
  )
}

const THEMES: Array<[Theme, string]> = [
  ['light', 'Light'],
  ['dark', 'Dark'],
  ['system', 'Same as the system']
]

export function SettingsDialog(props: SettingsDialogProps) {
  const { profile, config, busy } = props
  const [name, setName] = useState(profile.name)
  const [submitted, setSubmitted] = useState<string | null>(null)
  const saveName = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim().length === 0 || name.trim() === profile.name) return
    setSubmitted(name.trim())
    props.onSetName(name.trim())
  }
  const nameSaved = submitted !== null && profile.name === submitted && name.trim() === submitted
  return (
    <Dialog title="Settings" onClose={props.onClose}>
      {props.error !== null && <ErrorNote error={props.error} />}
      <section className="settings-section">
        <h3 className="section-title">Your name</h3>
        <form className="inline-form" onSubmit={saveName}>
          <input
            className="input"
            data-testid="settings-name"
            data-autofocus
            aria-label="Your name"
            value={name}
            maxLength={MAX_NAME_CHARS}
            onChange={(e) => setName(e.target.value)}
          />
          <button
            type="submit"
            className="button"
            data-testid="settings-name-save"
            disabled={busy || name.trim().length === 0 || name.trim() === profile.name}
          >
            Save
          </button>
        </form>
        {nameSaved && (
          <p className="small saved-note" role="status" data-testid="settings-name-saved">
            Saved: your rooms will show you as <bdi>{submitted}</bdi>.
          </p>
        )}
        <p className="muted small">
          Shown to everyone in your rooms. Your id:{' '}
          <span className="mono" data-testid="settings-profile-id">
            {profile.id}
          </span>
        </p>
      </section>
      <PhraseSettings onShow={props.onShowPhrase} />
      <DeviceSettings {...props.devices} />
      <section className="settings-section">
        <h3 className="section-title">Theme</h3>
        <div className="segmented" role="radiogroup" aria-label="Theme">
          {THEMES.map(([theme, label]) => (
            <label
              key={theme}
              className={'segment' + (props.theme === theme ? ' selected' : '')}
              data-testid={`theme-${theme}`}
            >
              <input
                type="radio"
                name="theme"
                value={theme}
                checked={props.theme === theme}
                onChange={() => props.onSetTheme(theme)}
              />
              {label}
            </label>
          ))}
        </div>
      </section>
      <section className="settings-section">
        <h3 className="section-title">Notifications</h3>
        <NotifySettings
          rooms={props.rooms}
          permission={props.permission}
          onRequestPermission={props.onRequestPermission}
          onSetNotify={props.onSetNotify}
        />
      </section>
      {KEY_SETTINGS.map(({ setting, ...text }) => (
        <KeySettingForm
          key={setting}
          {...text}
          saved={config?.[setting] ?? ''}
          busy={busy}
          onSave={(key) => props.onSetKeySetting(setting, key)}
        />
      ))}
    </Dialog>
  )
}
