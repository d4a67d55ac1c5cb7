/** A worker thread's job: one imagePreview (see image-preview-job.ts), its answer posted back. */
import { parentPort, workerData } from 'worker_threads'
import { imagePreview } from './image-preview.js'

const { path, type } = workerData as { path: string; type: string }
imagePreview(path, type).then(
  (preview) => parentPort?.postMessage(preview),
  () => parentPort?.postMessage(null)
)
