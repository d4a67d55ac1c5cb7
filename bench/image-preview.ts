// imagePreview (src/core/files/image-preview.ts) on a 4000x3000 JPEG, the size of a phone photo,
// and on images near the decode budget (a 24 MP JPEG, skipped; 24 and 40 MP PNGs). Each run is a fresh process: the
// figures are the time of one call and how far its peak RSS (Linux VmHWM, reset to the RSS
// right before the call through /proc/self/clear_refs) rises over the RSS before it.
// Run: npx tsc -p . && node dist/bench/image-preview.js [FILE.jpg|FILE.png ...] (files of
// one's own beside them: jpeg-js writes only 4:4:4, phone cameras 4:2:0)
import { execFile } from 'child_process'
import fs from 'fs/promises'
import os from 'os'
import path from 'path'
import { fileURLToPath } from 'url'
import { promisify } from 'util'
import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { imagePreview } from '../src/core/files/image-preview.js'

const RUNS = 3

interface Measure {
  ms: number
  rssBeforeMiB: number
  peakGrowthMiB: number
  thumbnailBytes: number
}

/** RGBA like a photo: smooth gradients with a little grain (so JPEG sizes are realistic). */
function photo(width: number, height: number, grainBits = 4): Buffer {
  const data = Buffer.alloc(width * height * 4)
  let seed = 1
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      seed = (seed * 1103515245 + 12345) >>> 0
      const grain = grainBits === 0 ? 0 : (seed >>> (32 - grainBits)) - (1 << (grainBits - 1))
      const i = (y * width + x) * 4
      data[i] = Math.max(0, Math.min(255, (255 * x) / width + grain))
      data[i + 1] = Math.max(0, Math.min(255, (255 * y) / height + grain))
      data[i + 2] = Math.max(0, Math.min(255, 128 + 100 * Math.sin(x / 97 + y / 131) + grain))
      data[i + 3] = 255
    }
  }
  return data
}

/** VmRSS and VmHWM of this process, KiB. */
async function memory(): Promise<{ rss: number; peak: number }> {
  const status = await fs.readFile('/proc/self/status', 'utf8')
  const kib = (name: string): number => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)?.[1])
  return { rss: kib('VmRSS'), peak: kib('VmHWM') }
}

async function measure(file: string, type: string): Promise<Measure> {
  await fs.writeFile('/proc/self/clear_refs', '5') // the peak is now the RSS
  const before = await memory()
  const started = process.hrtime.bigint()
  const preview = await imagePreview(file, type)
  const ms = Number(process.hrtime.bigint() - started) / 1e6
  const after = await memory()
  const thumbnail = preview?.thumbnail ?? ''
  return {
    ms,
    rssBeforeMiB: before.rss / 1024,
    peakGrowthMiB: (after.peak - before.rss) / 1024,
    thumbnailBytes: Buffer.from(thumbnail.slice(thumbnail.indexOf(',') + 1), 'base64').byteLength
  }
}

async function inChild(file: string, type: string): Promise<Measure> {
  const self = fileURLToPath(import.meta.url)
  const { stdout } = await promisify(execFile)(process.execPath, [self, '--measure', file, type])
  return JSON.parse(stdout) as Measure
}

async function main(): Promise<void> {
  if (process.argv[2] === '--measure') {
    const [file, type] = process.argv.slice(3)
    process.stdout.write(JSON.stringify(await measure(file ?? '', type ?? '')))
    return
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'roost-image-preview-'))
  try {
    const cases: Array<{ name: string; file: string; type: string }> = []
    for (const [width, height] of [
      [4000, 3000],
      [5656, 4242]
    ] as const) {
      const file = path.join(dir, `${width}x${height}.jpg`)
      await fs.writeFile(file, jpeg.encode({ width, height, data: photo(width, height) }, 90).data)
      cases.push({ name: `JPEG ${width}x${height}`, file, type: 'image/jpeg' })
    }
    // no grain: a photo's PNG of this size is near the 50 MiB file cap, a smooth one well under
    for (const [width, height] of [
      [5656, 4242],
      [7744, 5164]
    ] as const) {
      const png = new PNG({ width, height })
      png.data = photo(width, height, 0)
      const file = path.join(dir, `${width}x${height}.png`)
      await fs.writeFile(file, PNG.sync.write(png))
      cases.push({ name: `PNG ${width}x${height} RGBA`, file, type: 'image/png' })
    }
    for (const file of process.argv.slice(2)) {
      const type = file.toLowerCase().endsWith('.png') ? 'image/png' : 'image/jpeg'
      cases.push({ name: path.basename(file), file, type })
    }
    for (const c of cases) {
      const size = (await fs.stat(c.file)).size / 2 ** 20
      const runs: Measure[] = []
      for (let i = 0; i < RUNS; i++) runs.push(await inChild(c.file, c.type))
      const ms = runs.map((r) => r.ms).sort((a, b) => a - b)
      const growth = runs.map((r) => r.peakGrowthMiB).sort((a, b) => a - b)
      console.log(
        `${c.name} (${size.toFixed(1)} MiB file): ` +
          `time median ${ms[1]?.toFixed(0)} ms (min ${ms[0]?.toFixed(0)}, max ${ms[2]?.toFixed(0)}), ` +
          `peak RSS +${growth[1]?.toFixed(0)} MiB (max +${growth[2]?.toFixed(0)}) ` +
          `over ${runs[0]?.rssBeforeMiB.toFixed(0)} MiB, thumbnail ${runs[0]?.thumbnailBytes} bytes`
      )
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

await main()
