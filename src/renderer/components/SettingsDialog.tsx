import { useState, type FormEvent } from 'react'
import type { Config, NotifyLevel, Profile, Room } from '../../shared/api/contract.js'
import { MAX_NAME_CHARS } from '../../shared/api/errors.js'
import type { ErrorInfo, Theme } from '../state/types'
import { Dialog } from './Dialog'
import { ErrorNote } from './ErrorNote'
import { NotifySettings, type NotifySettingsProps } from './NotifySettings'

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
  onSetBlindPeer: (key: string) => void
  onClose: () => void
}

const THEMES: Array<[Theme, string]> = [
  ['light', 'Light'],
  ['dark', 'Dark'],
  ['system', 'Same as the system']
]

export function SettingsDialog(props: SettingsDialogProps) {
  const { profile, config, busy } = props
  const [name, setName] = useState(profile.name)
  const [blindPeer, setBlindPeer] = useState(config?.blindPeer ?? '')
  const saveName = (event: FormEvent) => {
    event.preventDefault()
    if (name.trim().length > 0 && name.trim() !== profile.name) props.onSetName(name.trim())
  }
  const saveBlindPeer = (event: FormEvent) => {
    event.preventDefault()
    props.onSetBlindPeer(blindPeer)
  }
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
        <p className="muted small">
          Shown to everyone in your rooms. Your id: <span className="mono">{profile.id}</span>
        </p>
      </section>
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
      <section className="settings-section">
        <h3 className="section-title">Blind peer for new rooms</h3>
        <p className="muted small">
          An always-online server of yours that keeps an encrypted copy of your rooms, so people
          catch up while you are offline. It cannot read messages. Paste the key that
          roost-blind-peer prints; leave empty for none.
        </p>
        <form className="inline-form" onSubmit={saveBlindPeer}>
          <input
            className="input mono"
            data-testid="settings-blind-peer"
            aria-label="Blind peer key"
            value={blindPeer}
            spellCheck={false}
            placeholder="No blind peer"
            onChange={(e) => setBlindPeer(e.target.value)}
          />
          <button
            type="submit"
            className="button"
            data-testid="settings-blind-peer-save"
            disabled={busy || blindPeer.trim() === (config?.blindPeer ?? '')}
          >
            Save
          </button>
        </form>
      </section>
    </Dialog>
  )
}
