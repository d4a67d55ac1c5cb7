import { useState, type FormEvent } from 'react'
import type { Invite, InviteOptions } from '../../shared/api/contract.js'
import { MAX_INVITE_NOTE_CHARS } from '../../shared/api/errors.js'
import type { ErrorInfo } from '../state/types'
import { Dialog } from './Dialog'
import { ErrorNote } from './ErrorNote'
import { InviteList } from './InviteList'
import { InviteResult } from './InviteResult'

export interface InviteDialogProps {
  roomName: string
  isAdmin: boolean
  invites: Invite[] | null
  created: Invite | null
  busy: boolean
  error: ErrorInfo | null
  onCreate: (options: InviteOptions) => void
  onRevoke: (id: string) => void
  onClose: () => void
}

const MINUTE = 60 * 1000
const EXPIRY: Array<[string, number | null]> = [
  ['10 minutes', 10 * MINUTE],
  ['1 hour', 60 * MINUTE],
  ['1 day', 24 * 60 * MINUTE],
  ['7 days', 7 * 24 * 60 * MINUTE],
  ['Never', null]
]
const USES: Array<[string, number | null]> = [
  ['1 person', 1],
  ['5 people', 5],
  ['25 people', 25],
  ['Any number', null]
]

export function InviteDialog(props: InviteDialogProps) {
  const { roomName, isAdmin, invites, created, busy, error } = props
  const [expiry, setExpiry] = useState(2)
  const [uses, setUses] = useState(3)
  const [note, setNote] = useState('')
  const submit = (event: FormEvent) => {
    event.preventDefault()
    const options: InviteOptions = {}
    const expiresIn = EXPIRY[expiry][1]
    const count = USES[uses][1]
    if (expiresIn !== null) options.expiresIn = expiresIn
    if (count !== null) options.uses = count
    if (note.trim() !== '') options.note = note.trim()
    props.onCreate(options)
    setNote('')
  }
  return (
    <Dialog title={`Invite people to ${roomName}`} onClose={props.onClose}>
      {isAdmin ? (
        <form className="form invite-form" onSubmit={submit}>
          <label className="field">
            <span className="field-label">Expires after</span>
            <select
              className="input"
              data-testid="invite-expiry"
              data-autofocus
              value={expiry}
              onChange={(e) => setExpiry(Number(e.target.value))}
            >
              {EXPIRY.map(([label], i) => (
                <option key={label} value={i}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span className="field-label">Can be used by</span>
            <select
              className="input"
              data-testid="invite-uses"
              value={uses}
              onChange={(e) => setUses(Number(e.target.value))}
            >
              {USES.map(([label], i) => (
                <option key={label} value={i}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <label className="field invite-note-field">
            <span className="field-label">Note (only you see it)</span>
            <input
              className="input"
              data-testid="invite-note-input"
              placeholder="Who is it for?"
              maxLength={MAX_INVITE_NOTE_CHARS}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
          </label>
          <button
            type="submit"
            className="button primary"
            data-testid="invite-create"
            disabled={busy}
          >
            {busy ? 'Creating…' : created === null ? 'Create invite' : 'Create another'}
          </button>
        </form>
      ) : (
        <p className="muted">
          Only an admin of this room can create invites. Ask an admin to invite the person.
        </p>
      )}
      {error !== null && <ErrorNote error={error} />}
      {created !== null && <InviteResult invite={created} />}
      <h3 className="section-title">Invites</h3>
      <InviteList invites={invites} canRevoke={isAdmin} onRevoke={props.onRevoke} />
    </Dialog>
  )
}
