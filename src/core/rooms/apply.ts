import b4a from 'b4a'
import z32 from 'z32'
import type { ApplyHost, ApplyNode } from 'autobase'
import type HyperDB from 'hyperdb'
import { MAX_TOPIC_CHARS } from '../../shared/api/errors.js'
import { cleanText } from '../../shared/text/clean-name.js'
import { SEALED_KEY_BYTES } from '../epochs/epoch-crypto.js'
import {
  checkTimestamp,
  MAX_INVITE_ID_BYTES,
  requireAdmin,
  requireMember,
  Skip,
  storedName,
  type ApplyContext
} from './apply-context.js'
import {
  applyIndexerFork,
  applyMemberAdd,
  applyMemberLeave,
  applyMemberRemove,
  applyRoleSet
} from './apply-membership.js'
import {
  applyDelete,
  applyEdit,
  applyPin,
  applyReact,
  checkMentions,
  checkSealedText
} from './apply-conversation.js'
import { checkOptionalTimestamp, recordRosterChange } from './apply-roster-changes.js'
import { ApplyLookups } from './apply-lookups.js'
import { ViewCounters } from './view-counters.js'
import { isMessageId, messageId } from './message-id.js'
import { applyBlobsCore, checkSealedFile } from './apply-files.js'
import { applyDeviceAdd, applyDeviceRevoke, applySelfAdd } from './apply-devices.js'
import { Router } from './spec/dispatch/index.js'
import {
  decodeOp,
  MESSAGE_CHANGE_OPS,
  ROSTER_KIND,
  type OpValues,
  type StoredInfo,
  type StoredInvite,
  type StoredMirror
} from './ops.js'

export { countActiveAdmins } from './apply-membership.js'
export { isMessageId, messageId } from './message-id.js'

export interface SkippedNode {
  writer: string
  length: number
  reason: string
}

/** How many applied messages' positions the applier remembers (a send batch is at most 512). */
const RECENT_SEQS = 4096
/** One epoch-keys op seals a key for at most this many devices (a 200-member room fits). */
export const MAX_EPOCH_BOXES = 1024

/**
 * The room's apply(): the security boundary. Every node is decoded, checked against the
 * author's membership and role and the limits, and skipped when it fails: the same on every
 * peer. Handlers validate before their first write, since inserts are flushed even after a
 * throw. Only those skips are caught: a storage or closing error is not the peer's doing and
 * goes up to autobase.
 */
export class RoomApplier {
  private _roomKey: () => Buffer
  /** Diagnostics only: outside the view, so a re-apply after a reorder can log a node twice. */
  readonly skipped: SkippedNode[]
  private _router: Router
  /** id → seq of the messages applied last (diagnostic memory, outside the view). */
  private _recentSeqs: Map<string, number>
  /** Writer (hex) → how many of its blocks apply has reached (memory, outside the view). */
  private _appliedLengths: Map<string, number>

  /** roomKey is read lazily: a new room's key is its creator's writer key, known once the base opens. */
  constructor(roomKey: () => Buffer) {
    this._roomKey = roomKey
    this.skipped = []
    this._recentSeqs = new Map()
    this._appliedLengths = new Map()
    const router = new Router()
    this._router = router
    const route = <K extends keyof OpValues>(
      name: K,
      handler: (op: OpValues[K], ctx: ApplyContext) => Promise<void>
    ): void => router.add(name, handler)
    route('@roost/room-info', (v, ctx) => this._roomInfo(v, ctx))
    route('@roost/member-add', applyMemberAdd)
    route('@roost/member-remove', applyMemberRemove)
    route('@roost/member-leave', applyMemberLeave)
    route('@roost/role-set', applyRoleSet)
    route('@roost/profile-update', (v, ctx) => this._profileUpdate(v, ctx))
    route('@roost/message', (v, ctx) => this._message(v, ctx))
    route('@roost/invite-add', (v, ctx) => this._inviteAdd(v, ctx))
    route('@roost/invite-revoke', (v, ctx) => this._inviteRevoke(v, ctx))
    route('@roost/mirror-add', (v, ctx) => this._mirrorAdd(v, ctx))
    route('@roost/mirror-remove', (v, ctx) => this._mirrorRemove(v, ctx))
    route('@roost/epoch-keys', (v, ctx) => this._epochKeys(v, ctx))
    route('@roost/indexer-fork', applyIndexerFork)
    route('@roost/message-edit', applyEdit)
    route('@roost/message-delete', applyDelete)
    route('@roost/message-react', applyReact)
    route('@roost/message-pin', applyPin)
    route('@roost/blobs-core', applyBlobsCore)
    route('@roost/device-add', applyDeviceAdd)
    route('@roost/device-revoke', applyDeviceRevoke)
  }

  async apply(nodes: ApplyNode[], view: HyperDB, host: ApplyHost): Promise<void> {
    const counters = new ViewCounters(view)
    const lookups = new ApplyLookups(view)
    const roomKey = this._roomKey()

    for (const node of nodes) {
      this._noteApplied(node)
      if (node.value === null) continue // acks
      const op = decodeOp(node.value)
      if (op === null) {
        this._skip(node, 'not a canonical Roost record')
        continue
      }
      const changesRoster = op.name !== '@roost/message' && !MESSAGE_CHANGE_OPS.has(op.name)
      try {
        const author = await lookups.activeMemberOfWriter(node.from.key)
        const ctx = { view, host, node, author, counters, lookups, roomKey }
        if (node.optimistic === true) {
          // from a core no member added: only a device adding itself (applySelfAdd)
          if (op.name !== '@roost/device-add') throw new Skip('optimistic, and no device-add')
          await applySelfAdd(op.value as OpValues['@roost/device-add'], ctx)
        } else await this._router.dispatch(op as never, ctx)
        if (changesRoster) await counters.increment('roster')
      } catch (err) {
        if (!(err instanceof Skip)) throw err
        this._skip(node, op.name + ': ' + err.message)
      } finally {
        // members, writers and epochs change only by these ops
        if (changesRoster) lookups.clear()
      }
    }

    await counters.write()
    await view.flush()
  }

  /**
   * The position apply last gave a message, if it was among the last RECENT_SEQS applied: lets
   * `send` answer without reading its own messages back from the view. A reorder that applies it
   * again updates it.
   */
  seqOf(id: string): number | undefined {
    return this._recentSeqs.get(id)
  }

  /** Whether apply has reached the first `length` blocks of a writer (it may skip some). */
  hasApplied(writer: Buffer, length: number): boolean {
    return (this._appliedLengths.get(b4a.toString(writer, 'hex')) ?? 0) >= length
  }

  private _noteApplied(node: ApplyNode): void {
    const writer = b4a.toString(node.from.key, 'hex')
    if ((this._appliedLengths.get(writer) ?? 0) < node.length)
      this._appliedLengths.set(writer, node.length)
  }

  private _noteSeq(id: string, seq: number): void {
    this._recentSeqs.delete(id)
    this._recentSeqs.set(id, seq)
    if (this._recentSeqs.size <= RECENT_SEQS) return
    for (const oldest of this._recentSeqs.keys()) {
      this._recentSeqs.delete(oldest)
      break
    }
  }

  private _skip(node: ApplyNode, reason: string): void {
    this.skipped.push({ writer: z32.encode(node.from.key), length: node.length, reason })
  }

  private async _roomInfo(op: OpValues['@roost/room-info'], ctx: ApplyContext): Promise<void> {
    requireAdmin(ctx)
    const name = storedName(op.name)
    const topic = cleanText(op.topic, MAX_TOPIC_CHARS, true)
    checkOptionalTimestamp(op.timestamp)
    const before = await ctx.view.get<StoredInfo>('@roost/info', { key: 'room' })
    const cap = op.mirrorFileCap
    if (cap !== null && cap !== undefined && !Number.isSafeInteger(cap))
      throw new Skip('bad file cap')
    // 0 is none set (an absent field decodes as 0): an older client's rename keeps the cap
    const mirrorFileCap = cap || before?.mirrorFileCap || 0
    await ctx.view.insert('@roost/info', { key: 'room', name, topic, mirrorFileCap })
    if (before === null) return // the room's first name is part of "created"
    if (before.name !== name) {
      const facts = { kind: ROSTER_KIND.ROOM_RENAMED, subject: null, name, previous: before.name }
      await recordRosterChange(ctx, facts, op.timestamp)
    }
    if (before.topic !== topic) {
      const facts = { kind: ROSTER_KIND.TOPIC, subject: null, name: topic, previous: before.topic }
      await recordRosterChange(ctx, facts, op.timestamp, 1)
    }
  }

  private async _profileUpdate(
    op: OpValues['@roost/profile-update'],
    ctx: ApplyContext
  ): Promise<void> {
    const author = requireMember(ctx)
    const name = storedName(op.name)
    checkOptionalTimestamp(op.timestamp)
    await ctx.view.insert('@roost/members', { ...author, name })
    if (name === author.name) return
    const facts = {
      kind: ROSTER_KIND.RENAMED,
      subject: author.profile,
      name,
      previous: author.name
    }
    await recordRosterChange(ctx, facts, op.timestamp)
  }

  private async _message(op: OpValues['@roost/message'], ctx: ApplyContext): Promise<void> {
    const author = requireMember(ctx)
    checkTimestamp(op.timestamp)
    if (op.text.length !== 0) throw new Skip('messages are sealed with the epoch key')
    if (op.replyTo && !isMessageId(op.replyTo)) throw new Skip('bad reply id')
    // its author saw the message replied to, so it is applied before the reply on every peer
    if (op.replyTo && (await ctx.view.get('@roost/messages-by-id', { id: op.replyTo })) === null)
      throw new Skip('reply to a message not in the room')
    const file = checkSealedFile(op)
    await checkSealedText(op, ctx, file !== null)
    const mentions = await checkMentions(op.mentions, ctx)
    const id = messageId(ctx.node.from.key, ctx.node.length - 1)
    // a writer block is applied once per view state, except that autobase 7.28.1 has been
    // seen, after a restart, to apply a batch again on top of itself: keep the first
    if ((await ctx.view.get('@roost/messages-by-id', { id })) !== null)
      throw new Skip('already applied')
    const seq = await ctx.counters.increment('messages')
    await ctx.view.insert('@roost/messages', {
      seq,
      id,
      writer: ctx.node.from.key,
      author: author.profile,
      text: '',
      timestamp: op.timestamp,
      replyTo: op.replyTo || null,
      epoch: op.epoch,
      nonce: op.nonce,
      ciphertext: op.ciphertext,
      mentions,
      fileNonce: file?.fileNonce ?? null,
      file: file?.file ?? null
    })
    if (file !== null) await ctx.view.insert('@roost/files', { seq, id })
    this._noteSeq(id, seq)
  }

  private async _inviteAdd(op: OpValues['@roost/invite-add'], ctx: ApplyContext): Promise<void> {
    const author = requireAdmin(ctx)
    if (op.id.length === 0 || op.id.length > MAX_INVITE_ID_BYTES) throw new Skip('bad invite id')
    if ((await ctx.view.get('@roost/invites', { id: op.id })) !== null)
      throw new Skip('duplicate invite')
    checkTimestamp(op.expires)
    if (!Number.isSafeInteger(op.uses)) throw new Skip('bad invite uses')
    await ctx.view.insert('@roost/invites', {
      id: op.id,
      publicKey: op.publicKey,
      expires: op.expires,
      uses: op.uses,
      used: 0,
      revoked: false,
      createdBy: author.profile,
      forProfile: op.forProfile ?? null
    })
  }

  private async _inviteRevoke(
    op: OpValues['@roost/invite-revoke'],
    ctx: ApplyContext
  ): Promise<void> {
    requireAdmin(ctx)
    const invite = await ctx.view.get<StoredInvite>('@roost/invites', { id: op.id })
    if (invite === null || invite.revoked) throw new Skip('no such active invite')
    await ctx.view.insert('@roost/invites', { ...invite, revoked: true })
  }

  private async _mirrorAdd(op: OpValues['@roost/mirror-add'], ctx: ApplyContext): Promise<void> {
    const author = requireAdmin(ctx)
    const existing = await ctx.view.get<StoredMirror>('@roost/mirrors', { key: op.key })
    if (existing !== null && !existing.removed) throw new Skip('already a mirror')
    await ctx.view.insert('@roost/mirrors', {
      key: op.key,
      addedBy: author.profile,
      removed: false
    })
  }

  private async _mirrorRemove(
    op: OpValues['@roost/mirror-remove'],
    ctx: ApplyContext
  ): Promise<void> {
    requireAdmin(ctx)
    const existing = await ctx.view.get<StoredMirror>('@roost/mirrors', { key: op.key })
    if (existing === null || existing.removed) throw new Skip('not a mirror')
    await ctx.view.insert('@roost/mirrors', { ...existing, removed: true })
  }

  /**
   * A new epoch (rotate) or more boxes of existing epochs. Boxes go to active members' writers
   * only; apply never opens one, it only keeps them.
   */
  private async _epochKeys(op: OpValues['@roost/epoch-keys'], ctx: ApplyContext): Promise<void> {
    const author = requireAdmin(ctx)
    if (op.boxes.length === 0 || op.boxes.length > MAX_EPOCH_BOXES) throw new Skip('bad box count')
    const seen = new Set<string>()
    for (const box of op.boxes) {
      if (box.box.length !== SEALED_KEY_BYTES) throw new Skip('bad box')
      const slot = b4a.toString(box.writer, 'hex') + b4a.toString(box.epoch, 'hex')
      if (seen.has(slot)) throw new Skip('two boxes for one writer and epoch')
      seen.add(slot)
      if ((await ctx.lookups.activeMemberOfWriter(box.writer)) === null)
        throw new Skip('box for a writer that is not an active member')
    }
    if (op.rotate) {
      const id = op.boxes[0].epoch
      if (!op.boxes.every((b) => b4a.equals(b.epoch, id))) throw new Skip('one epoch per rotation')
      if ((await ctx.view.get('@roost/epochs', { id })) !== null) throw new Skip('epoch exists')
      const index = await ctx.counters.increment('epochs')
      await ctx.view.insert('@roost/epochs', { id, index, createdBy: author.profile })
    } else {
      for (const box of op.boxes) {
        if ((await ctx.view.get('@roost/epochs', { id: box.epoch })) === null)
          throw new Skip('unknown epoch')
      }
    }
    for (const box of op.boxes) await ctx.view.insert('@roost/epoch-boxes', box)
  }
}
