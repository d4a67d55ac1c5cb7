import { useEffect, useState } from 'react'
import { ONE_PANE_QUERY } from '../util/layout'

/** Whether the window is narrow enough for the one-pane layout, following resizes. */
export function useOnePane(): boolean {
  const [onePane, setOnePane] = useState(() => matchMedia(ONE_PANE_QUERY).matches)
  useEffect(() => {
    const query = matchMedia(ONE_PANE_QUERY)
    const onChange = (): void => setOnePane(query.matches)
    query.addEventListener('change', onChange)
    return () => query.removeEventListener('change', onChange)
  }, [])
  return onePane
}
