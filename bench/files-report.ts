// The file-transfer figures (bench/files.ts) as table rows, printed lines and the final JSON's
// `roost.files` / `baseline.files`.
import type { FilesResult } from './files.js'
import { fmt, ratios, rowsTable, type Row } from './table.js'

const MiB = 2 ** 20
const MB = 2 ** 20

export const THROUGHPUT_RATIO_TARGET = 0.8
export const REFETCH_TARGET_PERCENT = 5
export const RSS_TARGET_MB = 250

/** The figures with a raw baseline beside them. */
export function filesRows({ roost, baseline }: FilesResult): Row[] {
  const mib = roost.transfer.sizeBytes / MiB
  return [
    {
      figure: `file ${mib} MiB member → member: download`,
      unit: 'MiB/s',
      roost: roost.transfer.mibPerSec,
      baseline: baseline.transfer.mibPerSec
    },
    {
      figure: `file ${mib} MiB member → member: download time`,
      unit: 's',
      roost: roost.transfer.downloadMs / 1000,
      baseline: baseline.transfer.downloadMs / 1000
    },
    {
      figure: `file ${mib} MiB: receiver CPU per MiB`,
      unit: 'ms',
      roost: roost.transfer.receiverCpuMsPerMiB,
      baseline: baseline.transfer.receiverCpuMsPerMiB
    },
    {
      figure: `file ${mib} MiB: sender CPU per MiB while serving`,
      unit: 'ms',
      roost: roost.transfer.senderCpuMsPerMiB,
      baseline: baseline.transfer.senderCpuMsPerMiB
    },
    {
      figure: `file ${mib} MiB: receiver peak RSS`,
      unit: 'MB',
      roost: roost.transfer.receiverPeakRssBytes / MB,
      baseline: baseline.transfer.receiverPeakRssBytes / MB
    },
    {
      figure: `file ${mib} MiB: sender peak RSS while serving`,
      unit: 'MB',
      roost: roost.transfer.senderPeakRssBytes / MB,
      baseline: baseline.transfer.senderPeakRssBytes / MB
    },
    {
      figure: `file ${mib} MiB: sender stores it (sendFile / append)`,
      unit: 's',
      roost: roost.transfer.storeMs / 1000,
      baseline: baseline.transfer.storeMs / 1000
    }
  ]
}

const yesNo = (ok: boolean): string => (ok ? 'yes' : 'NO')
const pct = (value: number | null): string => (value === null ? 'n/a' : `${fmt(value)} %`)

export function filesLines(r: FilesResult): string[] {
  const { transfer, resume, memory } = r.roost
  const mib = transfer.sizeBytes / MiB
  const ratio = transfer.mibPerSec / r.baseline.transfer.mibPerSec
  const bigMib = memory.sizeBytes / MiB
  const refetched =
    resume.refetchedBytes === null
      ? 'n/a (the core diagnostic FileDownload.progress.fetched was not readable)'
      : `${resume.refetchedBytes} B = ${pct(resume.refetchedPercent)} of the file`
  return [
    '',
    `Files: every member a process of its own on a loopback testnet (this process runs only the testnet); Roost: sendFile → the message is visible at a member that joined by invite → download(room, id, {out}) called → resolved (fetched, opened, hashed, saved); baseline: the same bytes appended to a plain Hypercore (64 KiB blocks, no encryption) in a Corestore, downloaded by another process's Corestore over a Hyperswarm connection, every block read (range download started with the peer connected → last block read); CPU = user + system of each process over the download (the sender's read around it, so it includes a little idle time)`,
    '',
    rowsTable(filesRows(r)),
    '',
    `file ${mib} MiB: Roost / baseline throughput ${fmt(ratio)}× (target ≥ ${THROUGHPUT_RATIO_TARGET}×)`,
    `resume after kill -9 (${mib} MiB, SIGKILL once ≥ 50 % held): held when killed ≥ ${fmt(resume.heldAtKillBytes / MiB)} MiB (last progress seen), held at reopen ${fmt(resume.heldAtReopenBytes / MiB)} MiB (${pct((resume.heldAtReopenBytes / resume.sizeBytes) * 100)}; ${resume.lostPercent > 0 ? `${pct(resume.lostPercent)} of the file shown held was lost by the kill` : 'nothing shown held was lost'}); fetched after the restart ${resume.fetchedAfterRestartBytes === null ? 'n/a' : `${fmt(resume.fetchedAfterRestartBytes / MiB)} MiB`}; refetched beyond what was missing ${refetched} (target ≤ ${REFETCH_TARGET_PERCENT} %); reopen ${fmt(resume.reopenMs)} ms, rest downloaded in ${fmt(resume.resumeMs / 1000)} s; final bytes identical (SHA-256): ${yesNo(resume.hashMatches)}`,
    `peak RSS while ${bigMib} MiB go member to member (sampled every 50 ms in each process; sender: sendFile, then serving; receiver: download called → resolved): sender ${fmt(memory.senderRssBytes / MB)} MB (storing ${fmt(memory.senderStoreRssBytes / MB)}, serving ${fmt(memory.senderServeRssBytes / MB)}), receiver ${fmt(memory.receiverRssBytes / MB)} MB (target < ${RSS_TARGET_MB} MB); before the transfer: sender ${fmt(memory.senderBeforeRssBytes / MB)} MB, receiver ${fmt(memory.receiverBeforeRssBytes / MB)} MB; sendFile ${fmt(memory.transfer.storeMs / 1000)} s, download ${fmt(memory.transfer.downloadMs / 1000)} s = ${fmt(memory.transfer.mibPerSec)} MiB/s (CPU per MiB: receiver ${fmt(memory.transfer.receiverCpuMsPerMiB)} ms, sender ${fmt(memory.transfer.senderCpuMsPerMiB)} ms); final bytes identical (SHA-256): ${yesNo(memory.hashMatches)}`,
    ...rawBigLines(r)
  ]
}

/** The raw baseline's big transfer, with `--files-raw-big` only. */
function rawBigLines(r: FilesResult): string[] {
  const raw = r.baseline.memory
  if (raw === null) return []
  const roost = r.roost.memory
  return [
    `baseline, the same ${raw.sizeBytes / MiB} MiB the raw way: peak RSS sender ${fmt(raw.senderStorePeakRssBytes / MB)} MB appending, ${fmt(raw.senderPeakRssBytes / MB)} MB serving (Roost / raw ${fmt(roost.senderServeRssBytes / raw.senderPeakRssBytes)}), receiver ${fmt(raw.receiverPeakRssBytes / MB)} MB (Roost / raw ${fmt(roost.receiverRssBytes / raw.receiverPeakRssBytes)}); download ${fmt(raw.downloadMs / 1000)} s = ${fmt(raw.mibPerSec)} MiB/s (Roost / raw ${fmt(roost.transfer.mibPerSec / raw.mibPerSec)})`
  ]
}

/** `roost.files` and `baseline.files` of the final JSON line, and the rows' ratios. */
export function filesJson(r: FilesResult): {
  roost: FilesResult['roost'] & { throughputRatio: number }
  baseline: FilesResult['baseline']
  ratios: Record<string, number>
} {
  return {
    roost: {
      ...r.roost,
      throughputRatio: r.roost.transfer.mibPerSec / r.baseline.transfer.mibPerSec
    },
    baseline: r.baseline,
    ratios: ratios(filesRows(r))
  }
}

/** `--files-only`: the lines, then a JSON line of their own. */
export function printFilesOnly(r: FilesResult): void {
  process.stdout.write(filesLines(r).join('\n') + '\n\n')
  const { roost, baseline, ratios: byFigure } = filesJson(r)
  const json = {
    bench: 'roost-files',
    roost: { files: roost },
    baseline: { files: baseline },
    ratios: byFigure
  }
  process.stdout.write(JSON.stringify(json) + '\n')
}
