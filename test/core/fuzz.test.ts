import { fileInfoOf } from '../../src/core/files/file-descriptor.js'
import test, { type Test } from 'brittle'
import b4a from 'b4a'
import sodium from 'sodium-native'
import z32 from 'z32'
import type { Roost } from '../../src/core/roost.js'
import { openEpochKey } from '../../src/core/epochs/epoch-crypto.js'
import crypto from 'hypercore-crypto'
import {
  bindWriter,
  deviceProof,
  identityFromKeyPair
} from '../../src/core/identity/identity-key.js'
import { decodeOp, type StoredMessage } from '../../src/core/rooms/ops.js'
import { conversationFields } from '../../src/core/rooms/message-fields.js'
import type { Message, Profile } from '../../src/shared/api/contract.js'
import { roomNames } from '../../src/shared/text/display-names.js'
import {
  inviteLine,
  memberLines,
  messageJson,
  messageLine,
  roomLine,
  UNKNOWN_TIME
} from '../../src/cli/format.js'
import {
  allMessages,
  createLoopbackTestnet,
  deviceOf,
  profileSigner,
  roomWithMembers,
  transientReadErrors
} from '../helpers/index.js'
import { ADMIN_ROLES, BlockSource, OP_NAMES, type FuzzWorld } from './fuzz/generators.js'
import { Prng, fuzzSeed } from './fuzz/prng.js'
import { viewViolations } from './fuzz/invariants.js'
import { loadRenderer, type RendererModules } from './fuzz/render.js'

/** Blocks per `base.append([...])`: one batch, so 10,000 ops cost 100 appends. */
const BATCH = 100
const MEMBER_OPS = Number(process.env.FUZZ_MEMBER_OPS ?? 8000)
const ADMIN_OPS = Number(process.env.FUZZ_ADMIN_OPS ?? 2000)

/** Everything of a room's view that must be the same on every peer, as JSON. */
async function snapshot(peer: Roost, room: string): Promise<string> {
  const engine = peer.roomEngine(room)
  const { messages } = await engine.messagesBefore(null, 1_000_000)
  const hex = (_k: string, v: unknown): unknown =>
    v !== null && typeof v === 'object' && (v as { type?: string }).type === 'Buffer'
      ? b4a.toString(b4a.from((v as { data: number[] }).data), 'hex')
      : v
  return JSON.stringify(
    {
      info: await engine.info(),
      messages,
      members: await engine.members(),
      writers: await engine.writers(),
      invites: await engine.invites(),
      mirrors: await engine.mirrors(),
      epochs: await engine.epochs(),
      counts: [await engine.messageCount(), await engine.memberCount()]
    },
    hex
  )
}

/**
 * Resolves once `check` holds, re-checked on every view update of the room on any peer; rejects
 * at once when a peer's base closes (a crash would otherwise look like a hang).
 */
function settled(peers: Roost[], room: string, check: () => Promise<boolean>): Promise<void> {
  return new Promise((resolve, reject) => {
    const engines = peers.map((p) => p.roomEngine(room))
    let done = false
    let running = false
    let again = false
    const finish = (err?: Error): void => {
      if (done) return
      done = true
      for (const e of engines) {
        e.off('update', evaluate)
        e.base.off('close', evaluate)
      }
      if (err === undefined) resolve()
      else reject(err)
    }
    async function run(): Promise<void> {
      const closed = engines.findIndex((e) => e.base.closed)
      if (closed !== -1) throw new Error(`the base of peer ${closed} closed`)
      try {
        if (await check()) finish()
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'SESSION_CLOSED') throw err
        transientReadErrors.count++
        again = true
      }
    }
    function evaluate(): void {
      if (done) return
      if (running) {
        again = true
        return
      }
      running = true
      run().then(
        () => {
          running = false
          if (again && !done) {
            again = false
            evaluate()
          }
        },
        (err: Error) => finish(err)
      )
    }
    for (const e of engines) {
      e.on('update', evaluate)
      e.base.on('close', evaluate)
    }
    evaluate()
  })
}

/** What a hostile device holds: its keys, the room's current epoch key, the others' keys. */
async function worldOf(
  g: Prng,
  self: Roost,
  others: Roost[],
  room: string,
  admin: boolean
): Promise<FuzzWorld> {
  const engine = self.roomEngine(room)
  const epoch = await engine.currentEpoch()
  const pair = engine.writerKeyPair
  const box = (await engine.epochBoxesOf(engine.writerKey)).find(
    (b) => epoch !== null && b4a.equals(b.epoch, epoch.id)
  )
  const key = box === undefined || pair === null ? null : openEpochKey(box.box, pair)
  if (epoch === null || key === null) throw new Error('no epoch key to seal with')
  const profileOf = async (p: Roost): Promise<Buffer> =>
    z32.decode(((await p.profile()) as Profile).id)
  const sign = profileSigner(self)
  const own = deviceOf(self)
  const foreign = crypto.keyPair()
  const foreignProof = await deviceProof(identityFromKeyPair(crypto.keyPair()), foreign.publicKey)
  return {
    devices: {
      own: own.device.publicKey,
      bind: (dk, writer) => bindWriter(dk, writer, own.device, own.proof),
      bindForeign: (dk, writer) => bindWriter(dk, writer, foreign, foreignProof)
    },
    roomKey: engine.key,
    discoveryKey: engine.discoveryKey,
    self: { profile: await profileOf(self), writer: engine.writerKey, sign },
    others: await Promise.all(
      others.map(async (p) => ({
        profile: await profileOf(p),
        writer: p.roomEngine(room).writerKey
      }))
    ),
    epochs: (await engine.epochs()).map((e) => e.id),
    seal: (plain) => {
      const nonce = g.bytes(sodium.crypto_secretbox_NONCEBYTES)
      const ciphertext = b4a.alloc(plain.length + sodium.crypto_secretbox_MACBYTES)
      sodium.crypto_secretbox_easy(ciphertext, plain, nonce, key)
      return { nonce, ciphertext }
    },
    inviteIds: (await engine.invites()).map((i) => i.id),
    messageIds: (await engine.messagesBefore(null, 50)).messages.map((m) => m.id),
    systemKey: engine.base.system.core.key,
    indexedLength: engine.base.indexedLength,
    admin
  }
}

/** FUZZ_DEBUG: prints the ops of a batch that apply took (not messages), to narrow a failure. */
function logApplied(peer: Roost, room: string, blocks: Buffer[], from: number): void {
  const engine = peer.roomEngine(room)
  const me = z32.encode(engine.writerKey)
  const mine = engine.applier.skipped.filter((s) => s.writer === me)
  const skipped = new Set(mine.map((s) => s.length))
  const short = (_k: string, v: unknown): unknown =>
    (v as { type?: string } | null)?.type === 'Buffer'
      ? b4a.toString(b4a.from((v as { data: number[] }).data), 'hex').slice(0, 8)
      : v
  for (let i = 0; i < blocks.length; i++) {
    const op = skipped.has(from + i + 1) ? null : decodeOp(blocks[i])
    if (op === null || op.name === '@roost/message') continue
    console.log('applied', from + i, op.name, JSON.stringify(op.value, short).slice(0, 200))
  }
}

/** Appends `count` generated blocks from `peer`, BATCH at a time; returns the source's tallies. */
async function attack(
  peer: Roost,
  room: string,
  source: BlockSource,
  count: number
): Promise<number> {
  const base = peer.roomEngine(room).base
  let appended = 0
  while (appended < count) {
    const blocks: Buffer[] = []
    for (let i = 0; i < BATCH && appended + i < count; i++) blocks.push(source.next())
    const from = base.local.length
    await base.append(blocks)
    if (process.env.FUZZ_DEBUG) logApplied(peer, room, blocks, from)
    appended += blocks.length
  }
  return appended
}

/** Sends a normal message from `from` and resolves when every peer holds it. */
async function deliver(from: Roost, peers: Roost[], room: string, text: string): Promise<string> {
  const sent = await from.send(room, { text })
  await settled(peers, room, async () => {
    for (const p of peers)
      if ((await p.roomEngine(room).messageById(sent.id)) === null) return false
    return true
  })
  return sent.id
}

interface RenderTally {
  rendered: number
  failures: string[]
}

/** Every message, member, invite and the room, through the CLI formatter and the React UI. */
async function renderAll(
  t: Test,
  peer: Roost,
  room: string,
  ui: RendererModules,
  tally: RenderTally
): Promise<Message[]> {
  const me = (await peer.profile()) as Profile
  const messages = await allMessages(peer, room)
  const members = await peer.members(room)
  const engine = peer.roomEngine(room)
  // the records no key opens never reach a client, but render them too, as a client would
  // get them if it held the key: text empty, everything else as stored
  const readable = new Set(messages.map((m) => m.id))
  const { messages: stored } = await engine.messagesBefore(null, 1_000_000)
  const unreadable = stored
    .filter((s: StoredMessage) => !readable.has(s.id))
    .map((s: StoredMessage): Message => {
      const author = z32.encode(s.author)
      return {
        id: s.id,
        room,
        author,
        authorName: members.find((m) => m.id === author)?.name ?? '',
        text: s.text,
        timestamp: s.timestamp,
        replyTo: s.replyTo ?? null,
        ...conversationFields(s),
        state: 'sent',
        seq: s.seq,
        file: s.file ? fileInfoOf(null) : null
      }
    })
  const names = roomNames(members, messages)
  const attempt = (what: string, fn: () => unknown): void => {
    try {
      fn()
      tally.rendered++
    } catch (err) {
      tally.failures.push(`${what}: ${(err as Error).message}`)
    }
  }
  for (const list of [messages, unreadable]) {
    for (let i = 0; i < list.length; i++) {
      const m = list[i]
      // apply bounds the timestamps, so a stored one is always a real time, never the placeholder
      attempt(`messageLine ${m.id} ts=${m.timestamp}`, () => {
        if (messageLine(m, names).startsWith(`[${UNKNOWN_TIME}]`)) throw new Error('no time')
      })
      attempt(`messageJson ${m.id}`, () => JSON.stringify(messageJson(m)))
      attempt(`MessageRow ${m.id} ts=${m.timestamp}`, () => {
        if (!ui.renderRow(list, i, me, names).includes('dateTime=')) throw new Error('no time')
      })
    }
  }
  attempt('memberLines', () => memberLines(members))
  for (const m of members) {
    attempt(`MemberItem ${m.id}`, () =>
      ui.render('MemberItem', {
        member: m,
        label: names.get(m.id) ?? m.name,
        canManage: true,
        onRemove: () => {},
        onSetRole: () => {}
      })
    )
  }
  const changes = await peer.rosterChanges(room)
  for (const c of changes) {
    attempt(`RosterLine ${c.id}`, () => {
      if (!ui.render('RosterLine', { change: c, names }).includes('roster-line'))
        throw new Error('no line')
    })
  }
  const invites = await peer.invites(room)
  for (const i of invites) attempt(`inviteLine ${i.id}`, () => inviteLine(i))
  attempt('InviteList', () =>
    ui.render('InviteList', { invites, canRevoke: true, onRevoke: () => {} })
  )
  const info = await peer.room(room)
  attempt('roomLine', () => roomLine(info))
  attempt('RoomItem', () =>
    ui.render('RoomItem', {
      room: info,
      active: true,
      myId: me.id,
      lastAuthor: 'x',
      onSelect: () => {}
    })
  )
  attempt('RoomHeader', () =>
    ui.render('RoomHeader', {
      room: info,
      syncing: false,
      membersOpen: true,
      onToggleMembers: () => {},
      onInvite: () => {}
    })
  )
  t.comment(
    `${me.name}: ${messages.length} readable messages, ${unreadable.length} stored unreadable, ${members.length} members, ${changes.length} roster lines, ${invites.length} invites`
  )
  return messages
}

test(
  'fuzz: 10,000 hostile ops across three peers: no crash, one view, a working room',
  { timeout: 600_000 },
  async (t) => {
    const seed = fuzzSeed()
    t.comment(`seed ${seed} (FUZZ_SEED=${seed} replays this run's blocks)`)
    if (!ADMIN_ROLES) t.comment("the admin's share leaves real members' roles alone (ADMIN_ROLES)")
    const g = new Prng(seed)
    const testnet = await createLoopbackTestnet(t)
    const { peers, room } = await roomWithMembers(t, testnet, ['alice', 'bob', 'carol'])
    const [alice, bob, carol] = peers
    const ui = await loadRenderer()
    t.teardown(ui.cleanup)
    const warnings: string[] = []
    for (const p of peers) {
      p.roomEngine(room).on('warning', (err: Error) => warnings.push(err.message))
    }
    await settled(peers, room, async () => {
      for (const p of peers) if ((await p.roomEngine(room).memberCount()) !== 3) return false
      return true
    })
    await deliver(alice, peers, room, 'hello before the attack')
    const started = Date.now()

    // a hostile active member (not an admin): everything past the API
    const memberSource = new BlockSource(g, await worldOf(g, bob, [alice, carol], room, false))
    const memberOps = await attack(bob, room, memberSource, MEMBER_OPS)
    await deliver(bob, peers, room, 'bob, after his share')
    t.pass(`the member's ${memberOps} blocks are applied on every peer`)

    // a hostile admin: may change the room, must not crash or split it
    const adminSource = new BlockSource(g, await worldOf(g, alice, [bob, carol], room, true))
    const adminOps = await attack(alice, room, adminSource, ADMIN_OPS)
    await deliver(alice, peers, room, 'alice, after her share')
    t.pass(`the admin's ${adminOps} blocks are applied on every peer`)
    const seconds = (Date.now() - started) / 1000

    // the room still works: a normal send from each peer reaches the others
    const finals: string[] = []
    for (const p of peers) {
      finals.push(await deliver(p, peers, room, `still here: ${(await p.profile())?.name}`))
    }
    t.pass('a normal message from each peer reached the others')

    // one view on every peer
    await settled(peers, room, async () => {
      const [first, ...rest] = await Promise.all(peers.map((p) => snapshot(p, room)))
      return rest.every((s) => s === first)
    })
    const snapshots = await Promise.all(peers.map((p) => snapshot(p, room)))
    const divergences = snapshots.filter((s) => s !== snapshots[0]).length
    t.is(divergences, 0, 'every peer holds the same view')
    const lists = await Promise.all(
      peers.map(async (p) => (await allMessages(p, room)).map((m) => m.id))
    )
    t.alike(lists[1], lists[0], 'bob sees the messages alice sees')
    t.alike(lists[2], lists[0], 'carol sees the messages alice sees')
    t.ok(
      finals.every((id) => lists[0].includes(id)),
      'the final messages are in every list'
    )
    for (const fn of ['members', 'invites'] as const) {
      const views = await Promise.all(peers.map((p) => p[fn](room)))
      const strip = (v: unknown): string =>
        JSON.stringify(v, (k, x) => (k === 'isMe' || k === 'code' || k === 'link' ? undefined : x))
      t.is(strip(views[1]), strip(views[0]), `${fn}: bob agrees with alice`)
      t.is(strip(views[2]), strip(views[0]), `${fn}: carol agrees with alice`)
    }
    const infos = await Promise.all(peers.map(async (p) => (await p.room(room)) as unknown))
    const roomView = (r: unknown): string => {
      const { name, topic, memberCount, messageCount } = r as Record<string, unknown>
      return JSON.stringify({ name, topic, memberCount, messageCount })
    }
    t.is(roomView(infos[1]), roomView(infos[0]), 'room info: bob agrees with alice')
    t.is(roomView(infos[2]), roomView(infos[0]), 'room info: carol agrees with alice')

    // no crash: no peer's base closed, none reported an error
    const closed = peers.filter((p) => p.roomEngine(room).base.closed).length
    t.is(closed, 0, "no peer's base closed")
    t.alike(warnings, [], 'no peer reported an apply error')

    // every record holds the bounds apply promises, on every peer
    const violations = (
      await Promise.all(peers.map((p) => viewViolations(p.roomEngine(room))))
    ).flat()
    t.alike(violations.slice(0, 10), [], 'every stored record is within the bounds of apply')

    // every stored record renders, in the CLI and in the React UI
    const tally: RenderTally = { rendered: 0, failures: [] }
    for (const p of peers) await renderAll(t, p, room, ui.modules, tally)
    t.alike(tally.failures.slice(0, 10), [], 'every record renders through the CLI and React')

    // the figures for the issue: what carol (neither attacker) applied and skipped
    const engine = carol.roomEngine(room)
    const attackers = new Set([bob, alice].map((p) => z32.encode(p.roomEngine(room).writerKey)))
    const skipped = new Map<string, string>()
    for (const s of engine.applier.skipped) {
      if (attackers.has(s.writer)) skipped.set(`${s.writer}.${s.length}`, s.reason)
    }
    const reasons = new Map<string, number>()
    for (const reason of skipped.values()) {
      const key = reason.replace(/: .*/, (m) => m.slice(0, 60))
      reasons.set(key, (reasons.get(key) ?? 0) + 1)
    }
    const { messages: stored } = await engine.messagesBefore(null, 1_000_000)
    const edge = stored.filter((m) => m.timestamp === 0 || m.timestamp === 8.64e15).length
    const tried = memberOps + adminOps
    t.comment(
      `seed ${seed}; ${tried} ops tried in ${seconds.toFixed(1)} s (${memberOps} by a member, ${adminOps} by an admin)`
    )
    t.comment(
      `generated: ${JSON.stringify(memberSource.counts)} member, ${JSON.stringify(adminSource.counts)} admin`
    )
    t.comment(
      `ops by type (member): ${OP_NAMES.map((n) => `${n.slice(7)}=${memberSource.byOp[n] ?? 0}`).join(' ')}`
    )
    t.comment(
      `skipped ${skipped.size}, stored messages ${stored.length} (${edge} at timestamp 0 or 8.64e15), rendered ${tally.rendered} records x CLI/React`
    )
    t.comment(
      `crashes ${closed + warnings.length}, divergences ${divergences}, render failures ${tally.failures.length}, records out of bounds ${violations.length}`
    )
    t.comment(
      `skip reasons: ${[...reasons]
        .sort((a, b) => b[1] - a[1])
        .map(([r, n]) => `${r} ${n}`)
        .join('; ')}`
    )
    t.comment(`transient view reads retried: ${transientReadErrors.count}`)
  }
)
