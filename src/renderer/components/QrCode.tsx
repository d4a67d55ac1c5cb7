import QRCode from 'qrcode'
import { useEffect, useState } from 'react'

export interface QrCodeProps {
  text: string
  label: string
  testId?: string
}

/** `text` as a QR code image (a data: URL, allowed by the CSP). */
export function QrCode({ text, label, testId = 'invite-qr' }: QrCodeProps) {
  const [url, setUrl] = useState<string | null>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let current = true
    QRCode.toDataURL(text, { margin: 1, width: 192, errorCorrectionLevel: 'M' }).then(
      (data) => {
        if (current) setUrl(data)
      },
      () => {
        if (current) setFailed(true)
      }
    )
    return () => {
      current = false
    }
  }, [text])
  if (failed) return <div className="qr-placeholder">No QR code: copy the link instead</div>
  if (url === null) return <div className="qr-placeholder" aria-hidden />
  return <img className="qr" src={url} alt={label} width={192} height={192} data-testid={testId} />
}
