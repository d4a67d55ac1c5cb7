import b4a from 'b4a'
import { MAC_BYTES, NONCE_BYTES } from '../epochs/epoch-crypto.js'
import { MAX_SEALED_DESCRIPTOR_BYTES } from '../files/file-descriptor.js'
import { requireMember, Skip, type ApplyContext } from './apply-context.js'
import type { OpValues, StoredWriter } from './ops.js'

/**
 * A message's sealed attachment, bounded: apply cannot open it (clients check what is inside,
 * files/file-descriptor.ts), so only its nonce and size are judged here. Null for none.
 */
export function checkSealedFile(
  op: OpValues['@roost/message']
): { fileNonce: Buffer; file: Buffer } | null {
  const { fileNonce, file } = op
  if (!fileNonce && !file) return null
  if (!fileNonce || !file) throw new Skip('a file without its nonce')
  if (fileNonce.length !== NONCE_BYTES) throw new Skip('bad file nonce')
  if (file.length <= MAC_BYTES) throw new Skip('empty file record')
  if (file.length > MAX_SEALED_DESCRIPTOR_BYTES) throw new Skip('file record too large')
  return { fileNonce, file }
}

/** A member names its writer's blobs core once; the room's blind peers then keep it too. */
export async function applyBlobsCore(
  op: OpValues['@roost/blobs-core'],
  ctx: ApplyContext
): Promise<void> {
  requireMember(ctx)
  const writer = await ctx.view.get<StoredWriter>('@roost/writers', { key: ctx.node.from.key })
  if (writer === null) throw new Skip('no writer record')
  if (writer.blobs) throw new Skip('blobs core already set')
  if (b4a.equals(op.key, ctx.node.from.key)) throw new Skip('a writer is not a blobs core')
  if ((await ctx.view.get('@roost/writers', { key: op.key })) !== null)
    throw new Skip('a writer is not a blobs core')
  await ctx.view.insert('@roost/writers', { ...writer, blobs: op.key })
}
