import { createContext, useContext, useSyncExternalStore } from 'react'
import type { Actions } from './actions'
import type { Store } from './store'
import type { AppState } from './types'

export const StoreContext = createContext<Store<AppState> | null>(null)
export const ActionsContext = createContext<Actions | null>(null)

/** A slice of the app state; the selector must return parts of the state, not new objects. */
export function useAppState<T>(select: (state: AppState) => T): T {
  const store = useContext(StoreContext)
  if (store === null) throw new Error('useAppState outside StoreContext')
  return useSyncExternalStore(store.subscribe, () => select(store.getState()))
}

export function useActions(): Actions {
  const actions = useContext(ActionsContext)
  if (actions === null) throw new Error('useActions outside ActionsContext')
  return actions
}
