import type { Invite } from '../../shared/api/contract.js'
import { CopyButton } from './CopyButton'
import { QrCode } from './QrCode'
import { describeExpiry, describeUses } from './invite-text'

/** A just-created invite: the code and link to share (copy or scan), and what limits it has. */
export function InviteResult({ invite }: { invite: Invite }) {
  const code = invite.code ?? ''
  const link = invite.link ?? code
  return (
    <section className="invite-result" aria-label="New invite">
      <QrCode text={link} label="QR code of the invite link" />
      <div className="invite-result-text">
        <div className="field-label">Invite code</div>
        <div className="copy-row">
          <code className="invite-code" data-testid="invite-code">
            {code}
          </code>
          <CopyButton text={code} label="Copy code" testId="invite-copy-code" />
        </div>
        <div className="field-label">Link</div>
        <div className="copy-row">
          <code className="invite-code" data-testid="invite-link">
            {link}
          </code>
          <CopyButton text={link} label="Copy link" testId="invite-copy-link" />
        </div>
        <p className="muted small">
          {describeExpiry(invite)} · {describeUses(invite)}. An admin of the room has to be online
          when it is used.
        </p>
      </div>
    </section>
  )
}
