import type {
  InviteOptions,
  Message,
  NotifyLevel,
  ProfileId,
  Role,
  RoomId,
  RoomInfoUpdate
} from '../../shared/api/contract.js'
import type { AppContext } from './context'
import * as conversation from './conversation-actions'
import * as devices from './device-actions'
import * as dialogs from './dialog-actions'
import * as files from './file-actions'
import * as fileSend from './file-send-actions'
import * as layout from './layout-actions'
import * as rooms from './room-actions'
import * as roomMenu from './room-menu-actions'
import * as settings from './settings-actions'
import * as timeline from './timeline-actions'
import * as toasts from './toast-actions'
import type { Theme } from './types'

/** Everything the UI can ask for, bound to one session. Components get these as props. */
export function createActions(ctx: AppContext) {
  return {
    completeOnboarding: (name: string) => settings.completeOnboarding(ctx, name),
    restoreProfile: (name: string, phrase: string, blindPeer: string) =>
      settings.completeOnboarding(ctx, name, { phrase, blindPeer }),
    phraseWritten: () => settings.phraseWritten(ctx),
    phrase: () => ctx.api.phrase(),
    linkThisDevice: (code: string) => devices.linkThisDevice(ctx, code),
    openDevices: () => devices.openDevices(ctx),
    closeDevices: () => devices.closeDevices(ctx),
    makeLinkCode: () => devices.makeLinkCode(ctx),
    unlinkDevice: (id: string) => devices.unlinkDevice(ctx, id),
    selectRoom: (room: RoomId) => rooms.selectRoom(ctx, room),
    selectAdjacentRoom: (step: 1 | -1) => rooms.selectAdjacentRoom(ctx, step),
    createRoom: (name: string, topic: string) => rooms.createRoom(ctx, name, topic),
    toggleMembers: () => rooms.toggleMembers(ctx),
    leaveRoom: (room: RoomId) => rooms.leaveRoom(ctx, room),
    openRoomInfo: (room: RoomId) => roomMenu.openRoomDialog(ctx, 'room-info', room),
    openLeaveRoom: (room: RoomId) => roomMenu.openRoomDialog(ctx, 'leave-room', room),
    saveRoomInfo: (room: RoomId, update: RoomInfoUpdate) =>
      roomMenu.saveRoomInfo(ctx, room, update),
    confirmLeave: (room: RoomId) => roomMenu.confirmLeave(ctx, room),
    toggleRoomList: () => layout.toggleRoomList(ctx),
    closePanel: () => layout.closePanel(ctx),
    removeMember: (room: RoomId, profile: ProfileId) => rooms.removeMember(ctx, room, profile),
    setRole: (room: RoomId, profile: ProfileId, role: Role) =>
      rooms.setRole(ctx, room, profile, role),
    loadOlder: (room: RoomId) => timeline.loadOlder(ctx, room),
    setDraft: (room: RoomId, text: string) => timeline.setDraft(ctx, room, text),
    send: (room: RoomId, text: string) => timeline.sendMessage(ctx, room, text),
    markRead: (room: RoomId, id: string) => timeline.markRead(ctx, room, id),
    setAtBottom: (atBottom: boolean) =>
      ctx.store.update((s) => (s.atBottom === atBottom ? s : { ...s, atBottom })),
    openCreateRoom: () => dialogs.openSimpleDialog(ctx, 'create-room'),
    openSettings: () => dialogs.openSimpleDialog(ctx, 'settings'),
    openSwitcher: () => dialogs.openSimpleDialog(ctx, 'switcher'),
    openJoin: (code?: string) => dialogs.openJoin(ctx, code),
    openInvite: (room: RoomId) => dialogs.openInvite(ctx, room),
    closeDialog: () => dialogs.closeDialog(ctx),
    createInvite: (room: RoomId, options: InviteOptions) =>
      dialogs.createInvite(ctx, room, options),
    revokeInvite: (room: RoomId, id: string) => dialogs.revokeInvite(ctx, room, id),
    join: (code: string) => dialogs.joinRoom(ctx, code),
    setName: (name: string) => settings.setName(ctx, name),
    setKeySetting: (setting: 'blindPeer' | 'relay', key: string) =>
      settings.setKeySetting(ctx, setting, key),
    setNotify: (room: RoomId, level: NotifyLevel) => settings.setNotify(ctx, room, level),
    setAutoDownload: (room: RoomId, on: boolean) => settings.setAutoDownload(ctx, room, on),
    setTheme: (theme: Theme) => settings.setTheme(ctx, theme),
    startReply: (room: RoomId, message: Message) => conversation.startReply(ctx, room, message),
    startEdit: (room: RoomId, message: Message) => conversation.startEdit(ctx, room, message),
    editLast: (room: RoomId) => conversation.editLast(ctx, room),
    cancelComposing: (room: RoomId) => conversation.cancelComposing(ctx, room),
    saveEdit: (room: RoomId, text: string) => conversation.saveEdit(ctx, room, text),
    react: (room: RoomId, message: Message, emoji: string, on: boolean) =>
      conversation.react(ctx, room, message, emoji, on),
    pin: (room: RoomId, message: Message, on: boolean) => conversation.pin(ctx, room, message, on),
    askDelete: (room: RoomId, message: Message) => conversation.askDelete(ctx, room, message),
    confirmDelete: () => conversation.confirmDelete(ctx),
    copyText: (message: Message) => conversation.copyText(ctx, message),
    togglePins: (room: RoomId) => conversation.togglePins(ctx, room),
    openSearch: (everywhere: boolean) => conversation.openSearch(ctx, everywhere),
    closeSearch: () => conversation.closeSearch(ctx),
    search: (query: string) => conversation.runSearch(ctx, query),
    jumpTo: (room: RoomId, id: string) =>
      conversation.jumpTo(ctx, room, id, (r) => rooms.selectRoom(ctx, r)),
    attachFiles: (room: RoomId, list: readonly File[]) => fileSend.attachFiles(ctx, room, list),
    removeAttachment: (room: RoomId, id: number) => fileSend.removeAttachment(ctx, room, id),
    cancelSend: (room: RoomId, upload: string) => fileSend.cancelSend(ctx, room, upload),
    loadTransfers: (room: RoomId) => files.loadTransfers(ctx, room),
    watchFiles: (room: RoomId, messages: readonly Message[]) =>
      files.watchFiles(ctx, room, messages),
    download: (room: RoomId, id: string) => files.download(ctx, room, id, true),
    cancelDownload: (room: RoomId, id: string) => files.cancelDownload(ctx, room, id),
    // only the desktop app can open a file or show its folder
    openFile:
      ctx.bridge === null
        ? null
        : (room: RoomId, id: string, how: 'open' | 'show') => files.openFile(ctx, room, id, how),
    openViewer: (room: RoomId, id: string) => files.openViewer(ctx, room, id),
    closeViewer: () => files.closeViewer(ctx),
    stepViewer: (step: 1 | -1) => files.stepViewer(ctx, step),
    dismissToast: (id: number) => toasts.dismissToast(ctx, id),
    showError: (err: unknown) => toasts.showError(ctx, err)
  }
}

export type Actions = ReturnType<typeof createActions>
