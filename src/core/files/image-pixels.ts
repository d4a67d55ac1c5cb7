// Pixel work for image previews: a box filter and EXIF orientation, on plain byte arrays.

export interface Pixels {
  data: Uint8Array
  width: number
  height: number
  /** 3 (RGB) or 4 (RGBA). */
  channels: number
}

/** RGBA of at most `side` a side, each pixel the mean of its box; transparency over white. */
export function boxScale(src: Pixels, side: number): Pixels {
  const { width: w, height: h, channels, data } = src
  const scale = Math.min(1, side / Math.max(w, h))
  const dw = Math.max(1, Math.round(w * scale))
  const dh = Math.max(1, Math.round(h * scale))
  const out = new Uint8Array(dw * dh * 4)
  const column = new Uint32Array(w)
  for (let x = 0; x < w; x++) column[x] = Math.min(dw - 1, Math.floor((x * dw) / w))
  const sums = new Float64Array(dw * 3)
  const counts = new Float64Array(dw)
  const flush = (row: number): void => {
    for (let x = 0; x < dw; x++) {
      const o = (row * dw + x) * 4
      for (let c = 0; c < 3; c++) out[o + c] = Math.round(sums[x * 3 + c] / counts[x])
      out[o + 3] = 255
    }
    sums.fill(0)
    counts.fill(0)
  }
  let row = 0
  for (let y = 0; y < h; y++) {
    const target = Math.min(dh - 1, Math.floor((y * dh) / h))
    if (target !== row) flush(row)
    row = target
    for (let x = 0, i = y * w * channels; x < w; x++, i += channels) {
      const alpha = channels === 4 ? data[i + 3] / 255 : 1
      const s = column[x] * 3
      for (let c = 0; c < 3; c++) sums[s + c] += 255 - (255 - data[i + c]) * alpha
      counts[column[x]] += 1
    }
  }
  flush(row)
  return { data: out, width: dw, height: dh, channels: 4 }
}

/** RGBA turned as EXIF orientation 1-8 says (5-8 swap the sides). */
export function upright(src: Pixels, orientation: number): Pixels {
  if (orientation < 2 || orientation > 8) return src
  const { width: w, height: h, data } = src
  const turned = orientation >= 5
  const flipX = [2, 3, 7, 8].includes(orientation)
  const flipY = [3, 4, 6, 7].includes(orientation)
  const dw = turned ? h : w
  const dh = turned ? w : h
  const out = new Uint8Array(dw * dh * 4)
  for (let dy = 0; dy < dh; dy++) {
    for (let dx = 0; dx < dw; dx++) {
      const a = turned ? dy : dx
      const b = turned ? dx : dy
      const sx = flipX ? w - 1 - a : a
      const sy = flipY ? h - 1 - b : b
      out.set(data.subarray((sy * w + sx) * 4, (sy * w + sx) * 4 + 4), (dy * dw + dx) * 4)
    }
  }
  return { data: out, width: dw, height: dh, channels: 4 }
}
