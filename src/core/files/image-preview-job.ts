import { Worker } from 'worker_threads'
import type { ImagePreview } from './image-preview.js'

/** A decode that takes longer than this is given up on: the file goes out without a preview. */
const PREVIEW_TIMEOUT_MS = 20_000

/**
 * imagePreview in a worker thread of its own: a photo's decode holds a thread for seconds and
 * a few hundred MB, which the core's event loop (every room's messages) must not wait on. The
 * memory goes with the worker. Null on any failure or after PREVIEW_TIMEOUT_MS.
 */
export function previewOffThread(path: string, type: string): Promise<ImagePreview | null> {
  return new Promise((resolve) => {
    let worker: Worker
    try {
      worker = new Worker(new URL('./image-preview-worker.js', import.meta.url), {
        workerData: { path, type }
      })
    } catch {
      resolve(null)
      return
    }
    const finish = (preview: ImagePreview | null): void => {
      clearTimeout(timer)
      resolve(preview)
      void worker.terminate()
    }
    const timer = setTimeout(() => finish(null), PREVIEW_TIMEOUT_MS)
    worker.once('message', (preview: ImagePreview | null) => finish(preview))
    worker.once('error', () => finish(null))
    worker.once('exit', () => finish(null))
  })
}
