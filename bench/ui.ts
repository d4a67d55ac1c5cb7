// The timeline's smoothness: a real Roost room of 100,000 stored messages, served by the web
// host to headless Chromium (1280x800), scrolled from the newest message all the way up to the
// oldest, a fixed step per animation frame, older pages loading as the view nears the top (as a
// user's scrolling loads them). Frame times are requestAnimationFrame deltas in the page.
// Target (issue #12): frame time p95 ≤ 16.7 ms (60 fps). There is no raw baseline for this one.
import fs from 'fs/promises'
import os from 'os'
import path from 'path'
import { fileURLToPath } from 'url'
import { chromium } from 'playwright-core'
import { createRoost, type Roost } from '../src/core/roost.js'
import { WebServer } from '../src/core/web/web-server.js'
import { log, nowNs, nsToMs, percentile, tempDir } from './lib.js'
import { fmt, table } from './table.js'

/** `--quick`: a smoke run of the same code with a small room (figures not comparable). */
const QUICK = process.argv.includes('--quick')
const COUNT = QUICK ? 5_000 : 100_000
/**
 * `--reuse`: keep the built room in the OS temp dir and use it again on the next `--reuse` run
 * (said so when it is). Without it the room is built fresh and removed afterwards.
 */
const REUSE = process.argv.includes('--reuse')
/** Pixels scrolled per animation frame: 500 is a hard fling (30,000 px/s at 60 fps). */
const STEP_PX = Number(
  /^--step=(\d+)$/.exec(process.argv.find((a) => a.startsWith('--step=')) ?? '')?.[1] ?? 500
)
/** A file to write every frame's timestamp, scrollTop and scrollHeight to (a diagnosis). */
const TRACE = process.env.ROOST_BENCH_UI_TRACE
const VIEWPORT = { width: 1280, height: 800 }
const TARGET_MS = 1000 / 60
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** Sends issued at once per round, then awaited: several group commits of up to 512 sends. */
const ROUND = 4096
/** A watchdog: the scroll fails if no older message shows for this long. */
const STALL_MS = 60_000
const RENDERER_DIR = fileURLToPath(new URL('../renderer/', import.meta.url))

// ---- the room: varied messages, some multi-line, some with links and Markdown ----

/** Deterministic (mulberry32), so every build makes the same room. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = (
  'the a we it is to of and in on for that this with you can was not but all at be have ' +
  'room peer sync message build test merge release draft review ship later today tomorrow ' +
  'works broken fixed maybe sure thanks great idea plan meeting notes coffee lunch weekend'
).split(' ')
const SHORT = ['ok', 'yes', 'no', 'thanks!', 'sounds good 👍', 'lol', 'on it', '+1', 'done ✅']

function words(rand: () => number, n: number): string {
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)])
  const text = out.join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function messageText(rand: () => number, i: number): string {
  const kind = rand()
  if (kind < 0.3) return SHORT[Math.floor(rand() * SHORT.length)]
  if (kind < 0.55) return words(rand, 4 + Math.floor(rand() * 14)) + '.'
  if (kind < 0.65) return words(rand, 40 + Math.floor(rand() * 80)) + '.' // wraps to several lines
  if (kind < 0.78) {
    const lines = 2 + Math.floor(rand() * 5)
    return Array.from({ length: lines }, () => words(rand, 3 + Math.floor(rand() * 8))).join('\n')
  }
  if (kind < 0.88) {
    return `${words(rand, 3 + Math.floor(rand() * 6))} https://example.org/notes/${i}?ref=roost`
  }
  if (kind < 0.94) {
    return `**${words(rand, 2)}** and _${words(rand, 2)}_, see \`npm run ${WORDS[i % WORDS.length]}\``
  }
  if (kind < 0.97)
    return `> ${words(rand, 8)}\n\n${words(rand, 5)}\n- ${words(rand, 3)}\n- ${words(rand, 4)}`
  return '```\n' + `const x${i} = ${i}\nconsole.log(x${i})` + '\n```'
}

interface Built {
  room: string
  /** Message ids, oldest first. */
  ids: string[]
  buildMs: number
}

async function buildRoom(roost: Roost, count: number): Promise<Built> {
  const start = nowNs()
  await roost.init({ name: 'Bench' })
  const room = (await roost.createRoom({ name: 'timeline' })).id
  const rand = random(12)
  const ids: string[] = []
  for (let first = 0; first < count; first += ROUND) {
    const n = Math.min(ROUND, count - first)
    const sent = await Promise.all(
      Array.from({ length: n }, (_, i) => roost.send(room, { text: messageText(rand, first + i) }))
    )
    for (const message of sent) ids.push(message.id)
    const rate = ids.length / (nsToMs(nowNs() - start) / 1000)
    log(`room: ${ids.length} of ${count} sent (${rate.toFixed(0)} msgs/s)`)
  }
  await roost.flush()
  return { room, ids, buildMs: nsToMs(nowNs() - start) }
}

/**
 * Builds the room in `dataDir` and closes that core: the core that serves the page is opened on
 * the stored room afterwards, as an app started on it is. (Right after 100,000 sends the core is
 * still telling its clients about them: a page opened then would get the older messages from
 * those events, not by scrolling to them.)
 */
async function buildStored(dataDir: string): Promise<Built> {
  const roost = await createRoost({ dataDir, offline: true })
  try {
    return await buildRoom(roost, COUNT)
  } finally {
    await roost.close()
  }
}

/** A fresh room, or with --reuse the one an earlier --reuse run left in the OS temp dir. */
async function openRoom(): Promise<{ roost: Roost; built: Built; dir: string; reused: boolean }> {
  const dir = REUSE ? path.join(os.tmpdir(), `roost-bench-ui-${COUNT}`) : await tempDir('ui')
  const dataDir = path.join(dir, 'data')
  let built: Built
  let reused = false
  if (REUSE) {
    const saved = await fs.readFile(path.join(dir, 'room.json'), 'utf8').catch(() => null)
    if (saved !== null) {
      built = JSON.parse(saved) as Built
      reused = true
    } else {
      await fs.rm(dir, { recursive: true, force: true })
      await fs.mkdir(dir, { recursive: true })
      built = await buildStored(dataDir)
      await fs.writeFile(path.join(dir, 'room.json'), JSON.stringify(built))
    }
  } else {
    built = await buildStored(dataDir)
  }
  const roost = await createRoost({ dataDir, offline: true })
  return { roost, built, dir, reused }
}

// ---- in the page ----

interface PageResult {
  /** requestAnimationFrame deltas (ms) of the frames that scrolled or showed a page. */
  deltas: number[]
  /** Frames spent at the top with nothing to scroll, waiting for an older page. */
  waitFrames: number
  scrollMs: number
  /** The distance the view was moved up, in all. */
  scrolledPx: number
  /** The list's height at the end: about what the scroll had to cover. */
  listPx: number
  longFrames: { count: number; totalMs: number; blockingMs: number; supported: boolean }
  longTasks: { count: number; totalMs: number; supported: boolean }
  oldestId: string | null
  oldestVisible: boolean
  beginning: boolean
  stalled: boolean
  /** With ROOST_BENCH_UI_TRACE: [timestamp, scrollTop, scrollHeight] of every frame. */
  trace: number[][]
  /** Where the view was at the end, for a failure's message. */
  at: string
}

/**
 * Scrolls the timeline up `step` px per animation frame until the room's beginning is on screen.
 * Runs in the page: nothing crosses to the bench while it measures.
 */
function scrollToOldest(args: {
  step: number
  stallMs: number
  trace: boolean
}): Promise<PageResult> {
  const list = document.querySelector<HTMLElement>('.vlist')
  if (list === null) throw new Error('no timeline')
  const long = { count: 0, totalMs: 0, blockingMs: 0, supported: false }
  const tasks = { count: 0, totalMs: 0, supported: false }
  const observers: PerformanceObserver[] = []
  const supported = PerformanceObserver.supportedEntryTypes
  if (supported.includes('long-animation-frame')) {
    long.supported = true
    const o = new PerformanceObserver((entries) => {
      for (const entry of entries.getEntries()) {
        long.count++
        long.totalMs += entry.duration
        long.blockingMs +=
          (entry as PerformanceEntry & { blockingDuration?: number }).blockingDuration ?? 0
      }
    })
    o.observe({ type: 'long-animation-frame' })
    observers.push(o)
  }
  if (supported.includes('longtask')) {
    tasks.supported = true
    const o = new PerformanceObserver((entries) => {
      for (const entry of entries.getEntries()) {
        tasks.count++
        tasks.totalMs += entry.duration
      }
    })
    o.observe({ type: 'longtask' })
    observers.push(o)
  }
  const oldestRow = (): HTMLElement | null =>
    list.querySelector<HTMLElement>('[data-testid="message"]')
  const atBeginning = (): boolean => list.querySelector('.timeline-top.beginning') !== null

  return new Promise((resolve) => {
    const deltas: number[] = []
    const trace: number[][] = []
    let waitFrames = 0
    let scrolled = 0
    let last = -1
    let lastWaiting = false
    let start = 0
    let progressAt = 0
    let previousTop = Infinity
    let tallest = 0
    const finish = (stalled: boolean): void => {
      for (const o of observers) o.disconnect()
      const row = oldestRow()
      const box = row?.getBoundingClientRect()
      const view = list.getBoundingClientRect()
      resolve({
        deltas,
        waitFrames,
        scrollMs: performance.now() - start,
        scrolledPx: scrolled,
        listPx: list.scrollHeight,
        longFrames: long,
        longTasks: tasks,
        oldestId: row?.dataset.id ?? null,
        oldestVisible: box !== undefined && box.bottom > view.top && box.top < view.bottom,
        beginning: atBeginning(),
        stalled,
        trace,
        at: `scrollTop ${list.scrollTop} of ${list.scrollHeight}, top row: ${list.querySelector('.timeline-top')?.textContent ?? 'not rendered'}`
      })
    }
    const frame = (ts: number): void => {
      if (last < 0) {
        start = performance.now()
        progressAt = ts
      }
      const top = list.scrollTop
      if (args.trace) trace.push([ts, top, list.scrollHeight])
      // at the top with nothing to scroll: waiting for the older page (or done)
      const waiting = top <= 0
      if (last >= 0) {
        if (!(waiting && lastWaiting)) deltas.push(ts - last)
        else waitFrames++
      }
      last = ts
      lastWaiting = waiting
      // progress: the view moved up, or an older page made the list taller
      const height = list.scrollHeight
      if (top < previousTop || height > tallest) progressAt = ts
      previousTop = top
      tallest = Math.max(tallest, height)
      if (waiting && atBeginning()) {
        finish(false)
        return
      }
      if (ts - progressAt > args.stallMs) {
        finish(true)
        return
      }
      if (!waiting) {
        list.scrollTop = Math.max(0, top - args.step)
        scrolled += top - list.scrollTop
      }
      requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
  })
}

// ---- the run ----

interface Figures {
  frames: number
  p50: number
  p95: number
  p99: number
  max: number
  /** p95 and p99 in whole 60 Hz refresh intervals. */
  p95Intervals: number
  p99Intervals: number
  /** Frames that took more than one refresh interval (dropped frames). */
  over: number
  scrolledPx: number
  reached: number
  scrollMs: number
  waitFrames: number
  longFrames: PageResult['longFrames']
  longTasks: PageResult['longTasks']
}

async function measure(url: string, built: Built): Promise<Figures> {
  await fs.access(CHROMIUM).catch(() => {
    throw new Error(`Chromium is not at ${CHROMIUM}: apt-get install -y chromium`)
  })
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu']
  })
  try {
    const page = await browser.newPage({ viewport: VIEWPORT })
    page.on('pageerror', (err) => log(`page error: ${err.message}`))
    await page.goto(url)
    await page.getByTestId('room-item').filter({ hasText: 'timeline' }).click()
    const newest = built.ids[built.ids.length - 1]
    await page.locator(`[data-testid="message"][data-id="${newest}"]`).waitFor()
    // let the opening settle (fonts, first measurements) before measuring
    await page.waitForTimeout(1000)
    log(`scrolling ${built.ids.length} messages up, ${STEP_PX} px per frame`)
    const result = await page.evaluate(scrollToOldest, {
      step: STEP_PX,
      stallMs: STALL_MS,
      trace: TRACE !== undefined
    })
    if (TRACE !== undefined) {
      await fs.writeFile(TRACE, result.trace.map((f) => f.join(' ')).join('\n') + '\n')
      log(`frames traced to ${TRACE}`)
    }
    if (result.stalled)
      throw new Error(`the scroll stalled: no older message for ${STALL_MS} ms (${result.at})`)
    const index = result.oldestId === null ? -1 : built.ids.indexOf(result.oldestId)
    if (index !== 0 || !result.oldestVisible || !result.beginning) {
      throw new Error(
        `the oldest message is not on screen at the end (oldest rendered: #${index}, visible ${result.oldestVisible}, beginning shown ${result.beginning})`
      )
    }
    // the view must have gone over every row, not jumped over pages of them
    if (result.scrolledPx < 0.95 * (result.listPx - VIEWPORT.height)) {
      throw new Error(
        `the view moved ${result.scrolledPx} px over a list of ${result.listPx} px: it jumped over rows`
      )
    }
    const d = result.deltas
    // whole refresh intervals: Chromium's frame timestamps are coarsened to 0.1 ms and jitter, so
    // a frame on time shows as 16.5–16.8 ms
    const intervals = d.map((x) => Math.max(1, Math.round(x / TARGET_MS)) * TARGET_MS)
    return {
      frames: d.length,
      p50: percentile(d, 50),
      p95: percentile(d, 95),
      p99: percentile(d, 99),
      max: Math.max(...d),
      p95Intervals: percentile(intervals, 95),
      p99Intervals: percentile(intervals, 99),
      over: intervals.filter((x) => x > TARGET_MS + 1).length / d.length,
      scrolledPx: result.scrolledPx,
      reached: built.ids.length - index,
      scrollMs: result.scrollMs,
      waitFrames: result.waitFrames,
      longFrames: result.longFrames,
      longTasks: result.longTasks
    }
  } finally {
    await browser.close()
  }
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg()
  const { roost, built, dir, reused } = await openRoom()
  let web: WebServer | null = null
  let figures: Figures
  try {
    if (reused) log(`reusing the room built by an earlier --reuse run: ${dir}`)
    else log(`room of ${built.ids.length} messages built in ${(built.buildMs / 1000).toFixed(1)} s`)
    web = new WebServer(roost, { staticDir: RENDERER_DIR, port: 0 })
    await web.listen()
    figures = await measure(web.url, built)
  } finally {
    await web?.close()
    await roost.close()
    if (!REUSE) await fs.rm(dir, { recursive: true, force: true })
  }
  const load = os.loadavg()

  const notes = [
    `timeline scroll: a room of ${COUNT} messages (one author, varied lengths, multi-line, links, Markdown) served by the web host to headless Chromium ${VIEWPORT.width}x${VIEWPORT.height}, scrolled from the newest to the oldest at ${STEP_PX} px per animation frame, older pages of 100 loading on the way`,
    `frame time = requestAnimationFrame delta (Chromium coarsens its timestamps to 0.1 ms: a frame on time at 60 Hz shows as 16.5–16.8 ms; "whole intervals" counts each frame in 60 Hz refresh intervals, 16.67 ms each, a dropped frame being 33.3 ms); frames spent at the top waiting for a page with nothing to scroll are not counted (${figures.waitFrames} of them); the frame a page lands in is`,
    reused
      ? `the room was reused from ${dir} (--reuse), not built in this run`
      : `room built fresh in this run (${fmt(built.buildMs / 1000)} s), its core closed and the room opened again to serve the page`,
    `load average before ${loadBefore.map((x) => x.toFixed(2)).join(' ')}, after ${load.map((x) => x.toFixed(2)).join(' ')} (2 cores)`
  ]
  if (QUICK) notes.push('--quick: a small room; figures not comparable')
  const long = figures.longFrames
  const rows: string[][] = [
    ['frames measured', 'frames', String(figures.frames), '', ''],
    ['frame time p50', 'ms', fmt(figures.p50), fmt(TARGET_MS), fmt(figures.p50 / TARGET_MS)],
    ['frame time p95', 'ms', fmt(figures.p95), fmt(TARGET_MS), fmt(figures.p95 / TARGET_MS)],
    ['frame time p99', 'ms', fmt(figures.p99), fmt(TARGET_MS), fmt(figures.p99 / TARGET_MS)],
    ['frame time max', 'ms', fmt(figures.max), '', ''],
    [
      'frame time p95, whole intervals',
      'ms',
      fmt(figures.p95Intervals),
      fmt(TARGET_MS),
      fmt(figures.p95Intervals / TARGET_MS)
    ],
    [
      'frame time p99, whole intervals',
      'ms',
      fmt(figures.p99Intervals),
      fmt(TARGET_MS),
      fmt(figures.p99Intervals / TARGET_MS)
    ],
    ['frames longer than one interval', '%', fmt(figures.over * 100), '', ''],
    ['distance scrolled', 'px', String(Math.round(figures.scrolledPx)), '', ''],
    ['messages reached', 'messages', String(figures.reached), String(COUNT), ''],
    ['total scroll time', 's', fmt(figures.scrollMs / 1000), '', ''],
    [
      'long animation frames (>50 ms)',
      long.supported ? 'frames' : 'n/a',
      long.supported ? String(long.count) : 'n/a',
      '',
      ''
    ],
    ['long tasks (>50 ms)', 'tasks', String(figures.longTasks.count), '', '']
  ]
  process.stdout.write('\n' + notes.map((n) => `# ${n}`).join('\n') + '\n\n')
  process.stdout.write(table(['figure', 'unit', 'Roost', 'target', 'ratio'], rows) + '\n\n')
  const json = {
    bench: 'roost-ui',
    quick: QUICK,
    reused,
    stepPx: STEP_PX,
    'roost.ui.messages': COUNT,
    'roost.ui.messagesReached': figures.reached,
    'roost.ui.framesMeasured': figures.frames,
    'roost.ui.frameP50Ms': figures.p50,
    'roost.ui.frameP95Ms': figures.p95,
    'roost.ui.frameP99Ms': figures.p99,
    'roost.ui.frameMaxMs': figures.max,
    'roost.ui.frameP95IntervalsMs': figures.p95Intervals,
    'roost.ui.frameP99IntervalsMs': figures.p99Intervals,
    'roost.ui.framesDroppedPct': figures.over * 100,
    'roost.ui.scrolledPx': figures.scrolledPx,
    'roost.ui.frameP95TargetMs': TARGET_MS,
    'roost.ui.frameP95VsTarget': figures.p95 / TARGET_MS,
    'roost.ui.scrollMs': figures.scrollMs,
    'roost.ui.waitFrames': figures.waitFrames,
    'roost.ui.longAnimationFrames': long.supported ? long.count : null,
    'roost.ui.longAnimationFrameMs': long.supported ? long.totalMs : null,
    'roost.ui.longTasks': figures.longTasks.count,
    'roost.ui.buildMs': reused ? null : built.buildMs,
    loadAvgBefore: loadBefore,
    loadAvgAfter: load
  }
  process.stdout.write(JSON.stringify(json) + '\n')
}

await main()
