import type { Roost } from '../../src/core/roost.js'
import type { FileTransfer } from '../../src/shared/api/contract.js'
import { until } from './index.js'

/** Resolves with where the file message `id` stands once `peer` has it. */
export async function untilFile(peer: Roost, room: string, id: string): Promise<FileTransfer> {
  let found: FileTransfer | null = null
  await until([peer], async () => {
    found = await peer.fileTransfer(room, id).catch(() => null)
    return found !== null
  })
  return found as unknown as FileTransfer
}
