const STORAGE_KEY = 'roost.token'

/**
 * The start token of `roost serve --web`: taken from `?token=` once, kept in sessionStorage so a
 * reload still works, and removed from the address bar so it is not bookmarked or shared.
 */
export function takeToken(): string | null {
  const params = new URLSearchParams(window.location.search)
  const fromUrl = params.get('token')
  if (fromUrl !== null && fromUrl.length > 0) {
    sessionStorage.setItem(STORAGE_KEY, fromUrl)
    params.delete('token')
    const query = params.toString()
    const url = window.location.pathname + (query ? '?' + query : '') + window.location.hash
    window.history.replaceState(window.history.state, '', url)
    return fromUrl
  }
  return sessionStorage.getItem(STORAGE_KEY)
}

/** The token this page holds (after takeToken), for links it signs; null when it has none. */
export function currentToken(): string | null {
  return sessionStorage.getItem(STORAGE_KEY)
}
