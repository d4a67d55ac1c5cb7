import b4a from 'b4a'
import crypto from 'hypercore-crypto'
import z32 from 'z32'
import type { ApplyHost, ApplyNode } from 'autobase'
import type HyperDB from 'hyperdb'
import { MAX_MESSAGE_BYTES, MAX_NAME_CHARS, MAX_TOPIC_CHARS } from '../../shared/api/errors.js'
import { charCount } from '../validate.js'
import { ViewCounters } from './view-counters.js'
import { Router } from './spec/dispatch/index.js'
import {
  decodeOp,
  memberBinding,
  ROLE,
  type OpValues,
  type StoredInvite,
  type StoredMirror,
  type StoredMember,
  type StoredWriter
} from './ops.js'

/** Thrown by a handler before it writes anything: the node is skipped, on every peer alike. */
class Skip extends Error {}

interface ApplyContext {
  view: HyperDB
  host: ApplyHost
  node: ApplyNode
  /** The author's member record, null for a writer that is not an active member. */
  author: StoredMember | null
  counters: ViewCounters
}

export interface SkippedNode {
  writer: string
  length: number
  reason: string
}

const MAX_REPLY_ID_CHARS = 128
const MAX_INVITE_ID_BYTES = 64

/**
 * The room's apply(): the security boundary. Every node is decoded, checked against the
 * author's membership and role and the limits, and skipped (never thrown) when it fails.
 * Handlers validate before their first write, since inserts are flushed even after a throw.
 */
export class RoomApplier {
  private _roomKey: () => Buffer
  /** Diagnostics only: outside the view, so a re-apply after a reorder can log a node twice. */
  readonly skipped: SkippedNode[]
  private _router: Router

  /** roomKey is read lazily: a new room's key is its creator's writer key, known once the base opens. */
  constructor(roomKey: () => Buffer) {
    this._roomKey = roomKey
    this.skipped = []
    this._router = new Router()
    this._router.add('@roost/room-info', (v: OpValues['@roost/room-info'], ctx: ApplyContext) =>
      this._roomInfo(v, ctx)
    )
    this._router.add('@roost/member-add', (v: OpValues['@roost/member-add'], ctx: ApplyContext) =>
      this._memberAdd(v, ctx)
    )
    this._router.add(
      '@roost/member-remove',
      (v: OpValues['@roost/member-remove'], ctx: ApplyContext) => this._memberRemove(v, ctx)
    )
    this._router.add('@roost/role-set', (v: OpValues['@roost/role-set'], ctx: ApplyContext) =>
      this._roleSet(v, ctx)
    )
    this._router.add(
      '@roost/profile-update',
      (v: OpValues['@roost/profile-update'], ctx: ApplyContext) => this._profileUpdate(v, ctx)
    )
    this._router.add('@roost/message', (v: OpValues['@roost/message'], ctx: ApplyContext) =>
      this._message(v, ctx)
    )
    this._router.add('@roost/invite-add', (v: OpValues['@roost/invite-add'], ctx: ApplyContext) =>
      this._inviteAdd(v, ctx)
    )
    this._router.add(
      '@roost/invite-revoke',
      (v: OpValues['@roost/invite-revoke'], ctx: ApplyContext) => this._inviteRevoke(v, ctx)
    )
    this._router.add('@roost/mirror-add', (v: OpValues['@roost/mirror-add'], ctx: ApplyContext) =>
      this._mirrorAdd(v, ctx)
    )
    this._router.add(
      '@roost/mirror-remove',
      (v: OpValues['@roost/mirror-remove'], ctx: ApplyContext) => this._mirrorRemove(v, ctx)
    )
  }

  async apply(nodes: ApplyNode[], view: HyperDB, host: ApplyHost): Promise<void> {
    const counters = new ViewCounters(view)

    for (const node of nodes) {
      if (node.value === null) continue // acks
      const op = decodeOp(node.value)
      if (op === null) {
        this._skip(node, 'not a canonical Roost record')
        continue
      }
      try {
        const author = await activeMemberOfWriter(view, node.from.key)
        await this._router.dispatch(op as never, { view, host, node, author, counters })
        if (op.name !== '@roost/message') await counters.increment('roster')
      } catch (err) {
        this._skip(node, op.name + ': ' + (err as Error).message)
      }
    }

    await counters.write()
    await view.flush()
  }

  private _skip(node: ApplyNode, reason: string): void {
    this.skipped.push({ writer: z32.encode(node.from.key), length: node.length, reason })
  }

  private async _roomInfo(op: OpValues['@roost/room-info'], ctx: ApplyContext): Promise<void> {
    requireAdmin(ctx)
    checkName(op.name)
    if (charCount(op.topic) > MAX_TOPIC_CHARS) throw new Skip('topic too long')
    await ctx.view.insert('@roost/info', { key: 'room', name: op.name, topic: op.topic })
  }

  private async _memberAdd(op: OpValues['@roost/member-add'], ctx: ApplyContext): Promise<void> {
    const { view, host, node } = ctx
    const genesis =
      (await ctx.counters.get('members')) === 0 &&
      b4a.equals(node.from.key, this._roomKey()) &&
      b4a.equals(op.writer, node.from.key) &&
      op.role === ROLE.ADMIN
    if (!genesis) requireAdmin(ctx)
    if (op.role !== ROLE.ADMIN && op.role !== ROLE.MEMBER) throw new Skip('unknown role')
    checkName(op.name)
    if (
      !crypto.verify(
        memberBinding(crypto.discoveryKey(this._roomKey()), op.writer),
        op.signature,
        op.profile
      )
    ) {
      throw new Skip('bad member signature')
    }
    const existingWriter = await view.get<StoredWriter>('@roost/writers', { key: op.writer })
    if (existingWriter !== null && !b4a.equals(existingWriter.profile, op.profile)) {
      throw new Skip('writer belongs to another profile')
    }
    let invite: StoredInvite | null = null
    if (op.inviteId) {
      invite = await view.get<StoredInvite>('@roost/invites', { id: op.inviteId })
      if (invite === null || invite.revoked) throw new Skip('unknown or revoked invite')
    }
    const existing = await view.get<StoredMember>('@roost/members', { profile: op.profile })

    if (existing === null) await ctx.counters.increment('members')
    await view.insert('@roost/members', {
      profile: op.profile,
      name: op.name,
      role: op.role,
      removed: false,
      invitedBy: genesis || ctx.author === null ? null : ctx.author.profile
    })
    await view.insert('@roost/writers', { key: op.writer, profile: op.profile })
    if (invite !== null) await view.insert('@roost/invites', { ...invite, used: invite.used + 1 })
    await host.addWriter(op.writer, { indexer: op.role === ROLE.ADMIN })
  }

  private async _memberRemove(
    op: OpValues['@roost/member-remove'],
    ctx: ApplyContext
  ): Promise<void> {
    requireAdmin(ctx)
    const target = await ctx.view.get<StoredMember>('@roost/members', { profile: op.profile })
    if (target === null || target.removed) throw new Skip('not a member')
    if (target.role === ROLE.ADMIN && (await countActiveAdmins(ctx.view)) <= 1)
      throw new Skip('last admin')
    const writers = await ctx.view
      .find<StoredWriter>('@roost/writers-by-profile', {
        gte: { profile: op.profile },
        lte: { profile: op.profile }
      })
      .toArray()
    for (const writer of writers) {
      if (!ctx.host.removeable(writer.key)) throw new Skip('autobase refuses to remove that writer')
    }
    await ctx.view.insert('@roost/members', { ...target, removed: true })
    for (const writer of writers) await ctx.host.removeWriter(writer.key)
  }

  private async _roleSet(op: OpValues['@roost/role-set'], ctx: ApplyContext): Promise<void> {
    requireAdmin(ctx)
    if (op.role !== ROLE.ADMIN && op.role !== ROLE.MEMBER) throw new Skip('unknown role')
    const target = await ctx.view.get<StoredMember>('@roost/members', { profile: op.profile })
    if (target === null || target.removed) throw new Skip('not a member')
    if (target.role === op.role) throw new Skip('role unchanged')
    if (target.role === ROLE.ADMIN && (await countActiveAdmins(ctx.view)) <= 1)
      throw new Skip('last admin')
    const writers = await ctx.view
      .find<StoredWriter>('@roost/writers-by-profile', {
        gte: { profile: op.profile },
        lte: { profile: op.profile }
      })
      .toArray()
    await ctx.view.insert('@roost/members', { ...target, role: op.role })
    // a demoted admin stays an indexer: autobase has no demotion short of removal
    if (op.role === ROLE.ADMIN)
      for (const writer of writers) await ctx.host.addWriter(writer.key, { indexer: true })
  }

  private async _profileUpdate(
    op: OpValues['@roost/profile-update'],
    ctx: ApplyContext
  ): Promise<void> {
    const author = requireMember(ctx)
    checkName(op.name)
    await ctx.view.insert('@roost/members', { ...author, name: op.name })
  }

  private async _message(op: OpValues['@roost/message'], ctx: ApplyContext): Promise<void> {
    const author = requireMember(ctx)
    if (op.text.length === 0) throw new Skip('empty message')
    if (b4a.byteLength(op.text, 'utf8') > MAX_MESSAGE_BYTES) throw new Skip('message too large')
    if (op.replyTo && op.replyTo.length > MAX_REPLY_ID_CHARS) throw new Skip('bad reply id')
    // unique by construction: each writer block is applied once per view state
    const id = messageId(ctx.node.from.key, ctx.node.length - 1)
    const seq = await ctx.counters.increment('messages')
    await ctx.view.insert('@roost/messages', {
      seq,
      id,
      writer: ctx.node.from.key,
      author: author.profile,
      text: op.text,
      timestamp: op.timestamp,
      replyTo: op.replyTo || null
    })
  }

  private async _inviteAdd(op: OpValues['@roost/invite-add'], ctx: ApplyContext): Promise<void> {
    const author = requireAdmin(ctx)
    if (op.id.length === 0 || op.id.length > MAX_INVITE_ID_BYTES) throw new Skip('bad invite id')
    if ((await ctx.view.get('@roost/invites', { id: op.id })) !== null)
      throw new Skip('duplicate invite')
    await ctx.view.insert('@roost/invites', {
      id: op.id,
      publicKey: op.publicKey,
      expires: op.expires,
      uses: op.uses,
      used: 0,
      revoked: false,
      createdBy: author.profile
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
}

export function messageId(writer: Buffer, seq: number): string {
  return z32.encode(writer) + '.' + seq
}

async function activeMemberOfWriter(view: HyperDB, writer: Buffer): Promise<StoredMember | null> {
  const record = await view.get<StoredWriter>('@roost/writers', { key: writer })
  if (record === null) return null
  const member = await view.get<StoredMember>('@roost/members', { profile: record.profile })
  return member === null || member.removed ? null : member
}

export async function countActiveAdmins(view: HyperDB): Promise<number> {
  const members = await view.find<StoredMember>('@roost/members', {}).toArray()
  return members.filter((m) => !m.removed && m.role === ROLE.ADMIN).length
}

function requireMember(ctx: ApplyContext): StoredMember {
  if (ctx.author === null) throw new Skip('author is not a member')
  return ctx.author
}

function requireAdmin(ctx: ApplyContext): StoredMember {
  const author = requireMember(ctx)
  if (author.role !== ROLE.ADMIN) throw new Skip('author is not an admin')
  return author
}

function checkName(name: string): void {
  if (name.trim().length === 0 || charCount(name) > MAX_NAME_CHARS) throw new Skip('bad name')
}
