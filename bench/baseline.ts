// The raw-stack baseline's Autobase: two writers, a Hyperbee view, no Roost code.
import Autobase, { type ApplyHost, type ApplyNode } from 'autobase'
import b4a from 'b4a'
import Corestore from 'corestore'
import Hyperbee from 'hyperbee'
import { ACK_INTERVAL_MS, parseProbe } from './lib.js'

const OP_ADD_WRITER = 0
const OP_MESSAGE = 1

export function addWriterOp(key: Buffer): Buffer {
  return b4a.concat([b4a.from([OP_ADD_WRITER]), key])
}

export function messageOp(text: string): Buffer {
  return b4a.concat([b4a.from([OP_MESSAGE]), b4a.from(text, 'utf8')])
}

/** View key of a probe message: its phase and the sender's sequence number. */
export function messageKey(phase: string, seq: number): string {
  return `msg/${phase}/${String(seq).padStart(8, '0')}`
}

async function apply(nodes: ApplyNode[], view: Hyperbee, host: ApplyHost): Promise<void> {
  const batch = view.batch({ update: false })
  for (const node of nodes) {
    const value = node.value
    if (value === null || value.length === 0) continue
    if (value[0] === OP_ADD_WRITER && value.length === 33) {
      // a plain writer, as a Roost member is (only admins index)
      await host.addWriter(value.subarray(1), { indexer: false })
    } else if (value[0] === OP_MESSAGE) {
      const text = b4a.toString(value.subarray(1), 'utf8')
      const probe = parseProbe(text)
      if (probe !== null) await batch.put(messageKey(probe.phase, probe.seq), value.subarray(1))
    }
  }
  await batch.flush()
}

/** The creator passes key null (and gets a fresh encryption key); the other member both keys. */
export function openBase(
  store: Corestore,
  key: Buffer | null,
  encryptionKey: Buffer | null
): Autobase<Hyperbee> {
  return new Autobase<Hyperbee>(store, key, {
    encrypt: encryptionKey === null,
    encryptionKey,
    ackInterval: ACK_INTERVAL_MS,
    open: (viewStore) =>
      new Hyperbee(viewStore.get('view'), {
        extension: false,
        keyEncoding: 'utf-8',
        valueEncoding: 'binary'
      }),
    apply,
    close: (view) => view.close()
  })
}

/** Resolves once `b` is writable; rejects after `timeoutMs`. */
export function waitWritable(b: Autobase<Hyperbee>, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const check = (): void => {
      if (!b.writable) return
      cleanup()
      resolve()
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(new Error(`not writable within ${timeoutMs} ms`))
    }, timeoutMs)
    const cleanup = (): void => {
      clearTimeout(timer)
      b.off('update', check)
      b.off('writable', check)
    }
    b.on('update', check)
    b.on('writable', check)
    check()
  })
}
