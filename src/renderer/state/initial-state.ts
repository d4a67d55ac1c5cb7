import { loadSidebarCollapsed } from '../util/layout'
import { loadTheme } from '../util/theme'
import { loadDrafts } from './draft-persistence'
import type { AppState } from './types'

export function initialState(): AppState {
  return {
    phase: { kind: 'connecting' },
    profile: undefined,
    onboarding: { busy: false, error: null, phrase: null },
    rooms: {},
    roomsLoaded: false,
    activeRoom: null,
    timelines: {},
    rosterLines: {},
    members: {},
    drafts: loadDrafts(),
    config: null,
    theme: loadTheme(),
    dialog: null,
    membersOpen: false,
    pins: null,
    search: null,
    composing: {},
    jump: null,
    sidebarCollapsed: loadSidebarCollapsed(),
    roomListShown: false,
    atBottom: true,
    visible: document.visibilityState === 'visible',
    scrollRequest: 0,
    toasts: [],
    attachments: {},
    outgoing: {},
    transfers: {},
    fileUrls: {},
    sentImages: {},
    viewer: null,
    devices: null
  }
}
