// The NAT lab itself (test/helpers/netlab.ts): two raw Hyperswarm peers behind two cone NATs must
// hole-punch a direct UDP path, and destroy() must leave nothing behind. Needs root; fails (does not
// skip) when the machine cannot run the lab, saying what is missing.
import test from 'brittle'
import { execFileSync } from 'child_process'
import { randomBytes } from 'crypto'
import {
  createNatLab,
  natLabUnavailableReason,
  NETLAB_RAW_PEER,
  type LabHost,
  type NatLab
} from '../helpers/netlab.js'

const PEER_TIMEOUT_S = 30

interface PeerResult {
  ok: boolean
  tConnectMs?: number
  tFirstDataMs?: number
  remoteUdp?: string | null
  reason?: string
}

function peerArgs(lab: NatLab, name: string, host: LabHost, topic: string): string[] {
  const bootstrap = lab.bootstrap.join(',')
  return [NETLAB_RAW_PEER, name, lab.ip(host), bootstrap, topic, '-', String(PEER_TIMEOUT_S)]
}

function resultOf(stdout: string): PeerResult | null {
  const line = stdout.split('\n').find((l) => l.includes('"ok":'))
  return line === undefined ? null : (JSON.parse(line) as PeerResult)
}

function ourNamespaces(tag: string): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(tag))
}

function ourRootLinks(tag: string): string[] {
  return execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => (l.split(': ')[1] ?? '').split('@')[0])
    .filter((n) => n.startsWith(tag))
}

test(
  'netlab: cone/cone peers hole-punch a direct path; destroy leaves nothing',
  { timeout: 120_000 },
  async (t) => {
    const reason = natLabUnavailableReason()
    if (reason !== null) {
      t.fail(reason)
      return
    }
    const started = Date.now()
    const lab = await createNatLab()
    t.teardown(() => lab.destroy())
    t.comment(`createNatLab ${Date.now() - started} ms (${lab.tag})`)
    t.is(ourNamespaces(lab.tag).length, lab.namespaces.length, 'all namespaces exist')

    await lab.setNat('cone', 'cone')
    const topic = `lab-test-${randomBytes(4).toString('hex')}`
    // B announces first, then A looks it up (two simultaneous first lookups would miss each other)
    const b = lab.spawn('b', peerArgs(lab, 'B', 'b', topic))
    await b.waitForLine(/"event":"flushed"/)
    const a = lab.spawn('a1', peerArgs(lab, 'A', 'a1', topic))
    await Promise.all([a.exited, b.exited])

    const resA = resultOf(a.stdout)
    const resB = resultOf(b.stdout)
    const brief = (r: PeerResult | null) =>
      r === null ? 'no result' : `ok=${r.ok} connect=${r.tConnectMs}ms remote=${r.remoteUdp}`
    t.comment(`A: ${brief(resA)}; B: ${brief(resB)}`)
    t.ok(resA?.ok, `A connected and got B's hello ${resA === null ? a.stderr : ''}`)
    t.ok(resB?.ok, `B connected and got A's hello ${resB === null ? b.stderr : ''}`)
    t.is(resA?.remoteUdp?.split(':')[0], '10.99.0.102', "A sees B at router B's WAN address")
    t.is(resB?.remoteUdp?.split(':')[0], '10.99.0.101', "B sees A at router A's WAN address")

    await lab.destroy()
    t.alike(ourNamespaces(lab.tag), [], 'no namespace of ours after destroy')
    t.alike(ourRootLinks(lab.tag), [], 'no stray veth of ours after destroy')
    t.comment(`test ${Date.now() - started} ms`)
  }
)
