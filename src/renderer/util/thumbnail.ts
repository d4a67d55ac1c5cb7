import { MAX_THUMBNAIL_BYTES } from '../../shared/api/errors.js'
import { isInlineImageType } from './file-kind'

/** The longest side of a preview, in pixels, before it is shrunk to fit MAX_THUMBNAIL_BYTES. */
const MAX_SIDE = 320
const QUALITIES = [0.8, 0.6, 0.45]
const SHRINK = 0.75
const MIN_SIDE = 16

export interface ImageFacts {
  /** A data: URL of at most MAX_THUMBNAIL_BYTES, or null when none would fit. */
  thumbnail: string | null
  width: number
  height: number
}

/** Bytes a base64 data: URL decodes to. */
export function dataUrlBytes(url: string): number {
  const data = url.slice(url.indexOf(',') + 1)
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0
  return (data.length / 4) * 3 - padding
}

/** WebP keeps transparency; where the browser cannot write it, JPEG over white. */
function encode(source: ImageBitmap, width: number, height: number, quality: number): string {
  const canvas = document.createElement('canvas')
  canvas.width = width
  canvas.height = height
  const context = canvas.getContext('2d')
  if (context === null) return ''
  context.drawImage(source, 0, 0, width, height)
  const webp = canvas.toDataURL('image/webp', quality)
  if (webp.startsWith('data:image/webp;')) return webp
  context.globalCompositeOperation = 'destination-over'
  context.fillStyle = '#ffffff'
  context.fillRect(0, 0, width, height)
  return canvas.toDataURL('image/jpeg', quality)
}

/**
 * An image's size and a small preview, made here (the core makes them only for a file sent
 * with none, image-preview.ts): scaled to MAX_SIDE, then lower quality and smaller until it
 * fits. Null for what is no image the page shows (SVG included) or cannot decode.
 */
export async function imageFacts(file: Blob): Promise<ImageFacts | null> {
  if (!isInlineImageType(file.type)) return null
  let bitmap: ImageBitmap
  try {
    bitmap = await createImageBitmap(file)
  } catch {
    return null
  }
  try {
    const { width, height } = bitmap
    let side = Math.min(MAX_SIDE, Math.max(width, height))
    while (side >= MIN_SIDE) {
      const scale = side / Math.max(width, height)
      const w = Math.max(1, Math.round(width * scale))
      const h = Math.max(1, Math.round(height * scale))
      for (const quality of QUALITIES) {
        const url = encode(bitmap, w, h, quality)
        if (url !== '' && dataUrlBytes(url) <= MAX_THUMBNAIL_BYTES) {
          return { thumbnail: url, width, height }
        }
      }
      side = Math.floor(side * SHRINK)
    }
    return { thumbnail: null, width, height }
  } finally {
    bitmap.close()
  }
}
