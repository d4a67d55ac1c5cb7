import test from 'brittle'
import {
  createNatLab,
  natLabUnavailableReason,
  type LabHost,
  type NatMode
} from '../helpers/netlab.js'
import { connectionWhere } from '../helpers/index.js'
import {
  joinAndExchange,
  nextMessage,
  startLabBlindPeer,
  startLabMember,
  type LabMember
} from '../helpers/lab-members.js'

interface Scenario {
  name: string
  nat: [NatMode, NatMode]
  admin: LabHost
  joiner: LabHost
  /** How the two members must be connected; null: either works. */
  path: 'direct' | 'relayed' | null
  /** A third member, who then has two relayed connections through one blind peer. */
  third?: LabHost
}

// a1 and a2 sit behind router A, b behind router B
const SCENARIOS: Scenario[] = [
  { name: 'cone / cone', nat: ['cone', 'cone'], admin: 'a1', joiner: 'b', path: 'direct' },
  { name: 'cone / symmetric', nat: ['cone', 'symmetric'], admin: 'a1', joiner: 'b', path: null },
  {
    name: 'symmetric / symmetric',
    nat: ['symmetric', 'symmetric'],
    admin: 'a1',
    joiner: 'b',
    path: 'relayed',
    third: 'a2'
  },
  {
    name: 'two members behind one NAT',
    nat: ['cone', 'cone'],
    admin: 'a1',
    joiner: 'a2',
    path: 'direct'
  }
]

test('NAT lab: members behind every pair of NATs join, talk, and report how they connect', async (t) => {
  t.timeout(3 * 60 * 1000)
  const unavailable = natLabUnavailableReason()
  if (unavailable !== null) {
    t.fail(`the NAT lab cannot run here: ${unavailable}`)
    return
  }
  const lab = await createNatLab()
  t.teardown(() => lab.destroy(), { order: 100 })
  const blindPeer = await startLabBlindPeer(lab)
  t.teardown(() => blindPeer.close(), { order: 60 })

  for (const scenario of SCENARIOS) {
    await t.test(scenario.name, async (st) => {
      await lab.setNat(...scenario.nat)
      const members: LabMember[] = []
      st.teardown(async () => {
        for (const m of members) await m.close()
      })
      const admin = await startLabMember(lab, scenario.admin, 'alice')
      members.push(admin)
      const joiner = await startLabMember(lab, scenario.joiner, 'bob')
      members.push(joiner)

      const { room, times } = await joinAndExchange(admin, joiner, blindPeer.key)
      st.pass(`joined and exchanged a message each way (${Math.round(times.bothWaysMs)} ms)`)

      for (const [me, other] of [
        [admin, joiner],
        [joiner, admin]
      ] as const) {
        const status = await me.statusJson()
        const roomStatus = status.rooms.find((r) => r.room === room)
        const otherId = (await other.api.status()).rooms.find((r) => r.room === room)
        st.ok(
          roomStatus !== undefined && otherId !== undefined,
          `${me.name}: status lists the room`
        )
        if (roomStatus === undefined) continue
        const peers = roomStatus.peers.filter((p) => !p.blindPeer)
        st.is(peers.length, 1, `${me.name}: connected to one member`)
        st.is(roomStatus.connection.trouble, null, `${me.name}: no trouble reported`)
        const peer = peers[0]
        if (peer === undefined) continue
        const path = peer.relayed ? `relayed through ${peer.relay}` : 'direct'
        st.comment(`${scenario.name}: ${me.name} sees ${other.name} ${path}`)
        if (scenario.path === 'relayed') {
          st.is(peer.relay, blindPeer.key, `${me.name}: relayed through the room's blind peer`)
        } else if (scenario.path === 'direct') {
          st.is(peer.relayed, false, `${me.name}: direct`)
        }
      }

      if (scenario.third !== undefined) {
        const third = await startLabMember(lab, scenario.third, 'erin')
        members.push(third)
        const invite = await admin.api.createInvite(room, {})
        await third.api.join(invite.code as string)
        const atAdmin = nextMessage(admin, room, 'hello from erin')
        const atJoiner = nextMessage(joiner, room, 'hello from erin')
        await third.api.send(room, { text: 'hello from erin' })
        await Promise.all([atAdmin, atJoiner])
        // both of bob's member connections go through the one blind peer at once
        const both = await connectionWhere(joiner.api, room, (c) => c.peers === 2)
        st.is(both.relayed, 2, 'bob: two relayed connections through one relay, both up')
        st.alike(both.relays, [blindPeer.key])
        const more = nextMessage(third, room, 'still there?')
        await admin.api.send(room, { text: 'still there?' })
        await more
        st.pass('a third member joined and talks to both; the first relayed link survived')
      }
    })
  }

  await t.test(
    'symmetric / symmetric, no relay: says a relay is needed, then uses the one set',
    async (st) => {
      // a room without a blind peer, made while a direct path existed
      await lab.setNat('cone', 'cone')
      const members: LabMember[] = []
      st.teardown(async () => {
        for (const m of members) await m.close()
      })
      const admin = await startLabMember(lab, 'a1', 'carol')
      members.push(admin)
      const joiner = await startLabMember(lab, 'b', 'dave')
      members.push(joiner)
      const created = await admin.api.createRoom({ name: 'no-relay' })
      const invite = await admin.api.createInvite(created.id, {})
      const room = (await joiner.api.join(invite.code as string)).id
      st.comment('joined')

      // both move behind symmetric NATs: nothing can connect them directly
      await admin.stop()
      await joiner.stop()
      await lab.setNat('symmetric', 'symmetric')
      await admin.start()
      await joiner.start()
      // the side whose dial failed knows the other is online (it answered) but unreachable
      const stuck = await connectionWhere(
        joiner.api,
        room,
        (c) => c.trouble?.code === 'NEEDS_RELAY'
      )
      st.is(stuck.peers, 0, 'not connected')
      st.comment(`dave is told: ${stuck.trouble?.message} ${stuck.trouble?.hint}`)
      const status = await joiner.statusJson()
      st.is(
        status.rooms.find((r) => r.room === room)?.connection.trouble?.code,
        'NEEDS_RELAY',
        'roost status --json reports NEEDS_RELAY'
      )

      // one member sets a relay: the two connect through it and talk
      await joiner.cli(['config', 'relay', blindPeer.key])
      st.comment('relay set')
      const connected = await connectionWhere(admin.api, room, (c) => c.peers === 1)
      st.is(connected.relayed, 1, 'connected through the relay')
      st.alike(connected.relays, [blindPeer.key], 'through the configured relay')
      st.is(connected.trouble, null, 'the trouble is gone')
      const hello = nextMessage(admin, room, 'through the relay')
      await joiner.api.send(room, { text: 'through the relay' })
      await hello
      st.pass('a message crossed the relay')
    }
  )

  t.ok(
    /relaying session/.test(blindPeer.process.stderr + blindPeer.process.stdout),
    'the blind peer logged the relayed sessions'
  )
})
