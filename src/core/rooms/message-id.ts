import z32 from 'z32'

const MAX_MESSAGE_ID_CHARS = 128
/** A message id: the writer key in z32 (52 characters), a dot, the block's sequence number. */
const MESSAGE_ID = /^[ybndrfg8ejkmcpqxot1uwisza345h769]{52}\.(0|[1-9][0-9]{0,15})$/

/** The id of the record at `seq` of `writer`'s core: the same on every peer, in every order. */
export function messageId(writer: Buffer, seq: number): string {
  return z32.encode(writer) + '.' + seq
}

/** Whether `value` has the shape of a message id (a reply names one; it need not exist). */
export function isMessageId(value: string): boolean {
  return value.length <= MAX_MESSAGE_ID_CHARS && MESSAGE_ID.test(value)
}
