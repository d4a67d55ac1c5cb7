import { errorInfo } from '../util/error-text'
import type { AppContext } from './context'

const MAX_TOASTS = 4
let nextId = 1

/** Shows a failure nobody else is showing (a send, a mark-read, a remove…) as a toast. */
export function showError(ctx: AppContext, err: unknown): void {
  const error = errorInfo(err)
  ctx.store.update((s) => {
    if (s.toasts.some((t) => t.error.message === error.message)) return s
    return { ...s, toasts: [...s.toasts, { id: nextId++, error }].slice(-MAX_TOASTS) }
  })
}

export function dismissToast(ctx: AppContext, id: number): void {
  ctx.store.update((s) => ({ ...s, toasts: s.toasts.filter((t) => t.id !== id) }))
}
