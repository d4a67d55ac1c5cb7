import { fileRoutePath, fileRouteText } from '../../shared/api/file-route.js'
import { currentToken } from './token'

let signingKey: { token: string; key: Promise<CryptoKey> } | null = null

function keyFor(token: string): Promise<CryptoKey> {
  if (signingKey === null || signingKey.token !== token) {
    const key = crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(token),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign']
    )
    signingKey = { token, key }
  }
  return signingKey.key
}

/**
 * The page's link to a file its core has saved. In Electron, the app:// route main serves to
 * our pages alone; in a browser, `roost serve --web`'s file route, signed for that file alone
 * (null without a token).
 */
export async function fileUrl(room: string, message: string): Promise<string | null> {
  if (window.roostApp !== undefined) return fileRoutePath(room, message)
  if (globalThis.crypto?.subtle === undefined) return null
  const token = currentToken()
  if (token === null) return null
  const signature = await crypto.subtle.sign(
    'HMAC',
    await keyFor(token),
    new TextEncoder().encode(fileRouteText(room, message))
  )
  const hex = [...new Uint8Array(signature)].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `${fileRoutePath(room, message)}?sig=${hex}`
}

/** Hands a saved file to the browser's own downloads (named as the server's answer says). */
export function saveInBrowser(url: string): void {
  const link = document.createElement('a')
  link.href = url
  link.download = ''
  link.rel = 'noopener'
  document.body.appendChild(link)
  link.click()
  link.remove()
}
