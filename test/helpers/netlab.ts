// A NAT lab made of Linux network namespaces (a TypeScript port of the verified bash lab in
// ../shared/netlab): a private "Internet" bridge with three DHT nodes, two public hosts and two NAT
// routers (nftables masquerade) with peers behind them. Needs root, iproute2, nftables and conntrack.
//
//   <tag>pub: bridge br0 = the "Internet" 10.99.0.0/24
//     <tag>dht1 10.99.0.11:49737 (bootstrap)  <tag>dht2 .12:49737  <tag>dht3 .13:49737 (persistent)
//     <tag>public 10.99.0.50      <tag>blind 10.99.0.60
//     <tag>ra wan0 10.99.0.101 ─ NAT ─ lan0 (bridge) 10.99.1.1/24 ─ <tag>a1 10.99.1.2, <tag>a2 10.99.1.3
//     <tag>rb wan0 10.99.0.102 ─ NAT ─ lan0 (bridge) 10.99.2.1/24 ─ <tag>b 10.99.2.2
//
// Every namespace and every interface created outside our own namespaces starts with the lab's random
// tag (`rl` + 4 hex + `-`), so labs never collide with each other or with the bash lab (`nl-`).
import { execFileSync, execSync, spawn } from 'child_process'
import { randomBytes } from 'crypto'
import path from 'path'
import { fileURLToPath } from 'url'
import { RunningProcess } from './processes.js'

export type NatMode = 'cone' | 'symmetric' // cone = nft `masquerade`; symmetric = `masquerade fully-random`
export type LabHost = 'blind' | 'public' | 'a1' | 'a2' | 'b'

export interface NatLab {
  /** Prefix of every namespace and interface of this lab, e.g. `rl3f0a-`. */
  readonly tag: string
  /** The lab's namespace names. */
  readonly namespaces: readonly string[]
  /** The lab DHT's bootstrap list: ['10.99.0.11:49737', '10.99.0.12:49737', '10.99.0.13:49737']. */
  readonly bootstrap: string[]
  /** blind 10.99.0.60, public 10.99.0.50, a1 10.99.1.2 and a2 10.99.1.3 (router A), b 10.99.2.2 (router B). */
  ip(host: LabHost): string
  /** Rewrites both routers' nftables rulesets and flushes their conntrack tables. */
  setNat(modeA: NatMode, modeB: NatMode): Promise<void>
  /** `ip netns exec <ns> node ...args`, stdio piped; killed by destroy(). */
  spawn(host: LabHost, args: string[], env?: NodeJS.ProcessEnv): RunningProcess
  /** spawn() to completion. */
  run(
    host: LabHost,
    args: string[],
    env?: NodeJS.ProcessEnv
  ): Promise<{ code: number | null; stdout: string; stderr: string }>
  /** Kills every process in the lab's namespaces and deletes them. Idempotent. */
  destroy(): Promise<void>
}

const HERE = path.dirname(fileURLToPath(import.meta.url))
/** Compiled DHT node script run in the lab's DHT namespaces. */
export const NETLAB_DHT_NODE = path.join(HERE, 'netlab-dht-node.js')
/** Compiled raw Hyperswarm peer (see netlab-raw-peer.ts for its arguments and output). */
export const NETLAB_RAW_PEER = path.join(HERE, 'netlab-raw-peer.js')

const INSTALL = 'apt-get install -y nftables conntrack iproute2'
const DHT_PORT = 49737
const READY_TIMEOUT_MS = 20_000
const STOP_TIMEOUT_MS = 5_000

type NsKey = 'pub' | 'dht1' | 'dht2' | 'dht3' | 'public' | 'blind' | 'ra' | 'rb' | 'a1' | 'a2' | 'b'
const NS_KEYS: NsKey[] = [
  'pub',
  'dht1',
  'dht2',
  'dht3',
  'public',
  'blind',
  'ra',
  'rb',
  'a1',
  'a2',
  'b'
]

/** Namespaces with a leg on the "Internet" bridge: their address and device name. */
const WAN: Array<{ ns: NsKey; ip: string; dev: string }> = [
  { ns: 'dht1', ip: '10.99.0.11', dev: 'eth0' },
  { ns: 'dht2', ip: '10.99.0.12', dev: 'eth0' },
  { ns: 'dht3', ip: '10.99.0.13', dev: 'eth0' },
  { ns: 'public', ip: '10.99.0.50', dev: 'eth0' },
  { ns: 'blind', ip: '10.99.0.60', dev: 'eth0' },
  { ns: 'ra', ip: '10.99.0.101', dev: 'wan0' },
  { ns: 'rb', ip: '10.99.0.102', dev: 'wan0' }
]
const ROUTERS: Array<{ ns: 'ra' | 'rb'; lan: string; subnet: string; hosts: LabHost[] }> = [
  { ns: 'ra', lan: '10.99.1.1', subnet: '10.99.1.0/24', hosts: ['a1', 'a2'] },
  { ns: 'rb', lan: '10.99.2.1', subnet: '10.99.2.0/24', hosts: ['b'] }
]
const HOST_IP: Record<LabHost, string> = {
  blind: '10.99.0.60',
  public: '10.99.0.50',
  a1: '10.99.1.2',
  a2: '10.99.1.3',
  b: '10.99.2.2'
}
const DHT_NODES: Array<{ ns: NsKey; ip: string }> = WAN.filter((w) => w.ns.startsWith('dht'))

/**
 * A NAT router's ruleset, as in netlab.sh: masquerade out of wan0 (fully-random = symmetric NAT),
 * forward only established/related and lan→wan, drop new connections from the WAN to the router.
 * lan0→lan0 is accepted too: lan0 is a bridge, and with br_netfilter loaded bridged LAN traffic
 * (a1 ↔ a2) passes this forward hook.
 */
function ruleset(mode: NatMode): string {
  return `flush ruleset
table ip nat {
  chain nat_post {
    type nat hook postrouting priority srcnat; policy accept;
    oifname "wan0" masquerade${mode === 'symmetric' ? ' fully-random' : ''}
  }
}
table ip filter {
  chain filt_forward {
    type filter hook forward priority filter; policy drop;
    ct state established,related accept
    iifname "lan0" oifname "wan0" accept
    iifname "lan0" oifname "lan0" accept
  }
  chain filt_input {
    type filter hook input priority filter; policy accept;
    iifname "wan0" ct state new drop
  }
}
`
}

interface CmdResult {
  code: number | null
  stdout: string
  stderr: string
}

function exec(cmd: string, args: string[], input?: string): Promise<CmdResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d))
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    if (input !== undefined) child.stdin?.end(input)
  })
}

async function must(cmd: string, args: string[], input?: string): Promise<string> {
  const res = await exec(cmd, args, input)
  if (res.code !== 0) {
    throw new Error(`\`${cmd} ${args.join(' ')}\` exited with ${res.code}: ${res.stderr.trim()}`)
  }
  return res.stdout
}

function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms)
  })
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer))
}

function stillRunning(p: RunningProcess): boolean {
  return p.child.exitCode === null && p.child.signalCode === null
}

/** Root-namespace links whose name starts with `tag` (a half-made veth pair would land there). */
function strayLinksScript(tag: string): string {
  return (
    `for l in $(ip -o link show | awk -F': ' '{print $2}' | cut -d@ -f1 | grep '^${tag}'); ` +
    `do ip link del "$l" 2>/dev/null; done`
  )
}

// Labs not destroyed yet, cleaned up synchronously if the process exits or is killed first.
const liveLabs = new Set<Lab>()

function cleanupAllSync(): void {
  for (const lab of liveLabs) lab.destroySync()
}

function onSignal(signal: NodeJS.Signals): void {
  cleanupAllSync()
  uninstallHandlers()
  // we replaced the default action (exit); restore it unless someone else handles the signal
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
}

let handlersInstalled = false
function installHandlers(): void {
  if (handlersInstalled) return
  handlersInstalled = true
  process.on('exit', cleanupAllSync)
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
}
function uninstallHandlers(): void {
  if (!handlersInstalled) return
  handlersInstalled = false
  process.off('exit', cleanupAllSync)
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
}

class Lab implements NatLab {
  readonly tag: string
  readonly namespaces: readonly string[]
  readonly bootstrap: string[] = DHT_NODES.map((d) => `${d.ip}:${DHT_PORT}`)
  private readonly processes = new Set<RunningProcess>()
  /** Namespaces this lab made: the only ones it ever kills in or deletes. */
  private readonly created = new Set<string>()
  private destroying: Promise<void> | null = null

  constructor(taken: string[]) {
    do this.tag = `rl${randomBytes(2).toString('hex')}-`
    while (taken.some((n) => n.startsWith(this.tag)))
    this.namespaces = NS_KEYS.map((k) => this.ns(k))
  }

  private ns(key: NsKey): string {
    return this.tag + key
  }

  /** An interface name outside our own namespaces' private names: tagged, ≤ 15 chars. */
  private ifname(suffix: string): string {
    const name = this.tag + suffix
    if (name.length > 15) throw new Error(`interface name too long: ${name}`)
    return name
  }

  ip(host: LabHost): string {
    const ip = HOST_IP[host]
    if (ip === undefined) throw new Error(`unknown lab host ${String(host)}`)
    return ip
  }

  async up(): Promise<void> {
    // `ip netns add` one at a time: the first call sets up the /run/netns mount
    for (const key of NS_KEYS) {
      await must('ip', ['netns', 'add', this.ns(key)])
      this.created.add(this.ns(key))
    }
    await Promise.all(NS_KEYS.map((key) => this.ipn(key, 'link', 'set', 'lo', 'up')))

    await this.ipn('pub', 'link', 'add', 'br0', 'type', 'bridge')
    await this.ipn('pub', 'link', 'set', 'br0', 'up')
    // the bridge-side ends of the veths carry the tag
    await Promise.all(
      WAN.map(async ({ ns, ip, dev }) => {
        const port = this.ifname(`p${ns}`)
        await this.veth(dev, ns, port, 'pub')
        await this.ipn('pub', 'link', 'set', port, 'master', 'br0', 'up')
        await this.ipn(ns, 'addr', 'add', `${ip}/24`, 'dev', dev)
        await this.ipn(ns, 'link', 'set', dev, 'up')
      })
    )
    await Promise.all(
      ROUTERS.map(async ({ ns, lan, hosts }) => {
        await this.ipn(ns, 'link', 'add', 'lan0', 'type', 'bridge')
        await this.ipn(ns, 'addr', 'add', `${lan}/24`, 'dev', 'lan0')
        await this.ipn(ns, 'link', 'set', 'lan0', 'up')
        await must('ip', ['netns', 'exec', this.ns(ns), 'sysctl', '-qw', 'net.ipv4.ip_forward=1'])
        for (const host of hosts) {
          const port = this.ifname(`l${host}`)
          await this.veth('eth0', host, port, ns)
          await this.ipn(ns, 'link', 'set', port, 'master', 'lan0', 'up')
          await this.ipn(host, 'addr', 'add', `${HOST_IP[host]}/24`, 'dev', 'eth0')
          await this.ipn(host, 'link', 'set', 'eth0', 'up')
          await this.ipn(host, 'route', 'add', 'default', 'via', lan)
        }
      })
    )
    await this.setNat('cone', 'cone')

    // DHT: the bootstrapper first, then the two persistent nodes, each bound to its own address
    const [boot, ...rest] = DHT_NODES
    await this.startDhtNode(boot.ns, [boot.ip, String(DHT_PORT)])
    await Promise.all(
      rest.map((d) => this.startDhtNode(d.ns, [d.ip, String(DHT_PORT), this.bootstrap[0]]))
    )
  }

  private async startDhtNode(ns: NsKey, args: string[]): Promise<void> {
    // NETLAB_STDIN_LIFELINE: the node exits when our end of its stdin closes, i.e. when this
    // process dies without running any cleanup (SIGKILL)
    const node = this.spawnIn(
      ns,
      [NETLAB_DHT_NODE, ...args],
      { NETLAB_STDIN_LIFELINE: '1' },
      'pipe'
    )
    const what = `DHT node ${args[0]} in ${this.ns(ns)}`
    await withDeadline(node.waitForLine(/"event":"ready"/), READY_TIMEOUT_MS, what).catch(
      (err: Error) => {
        const stderr = err.message.includes(node.stderr) ? '' : `\n${node.stderr}`
        throw new Error(`${what} did not get ready: ${err.message}${stderr}`)
      }
    )
  }

  /** A veth pair made directly in two namespaces: no end ever sits in the root namespace. */
  private veth(dev: string, ns: NsKey, peer: string, peerNs: NsKey): Promise<string> {
    const [a, b] = [this.ns(ns), this.ns(peerNs)]
    return must(
      'ip',
      `link add ${dev} netns ${a} type veth peer name ${peer} netns ${b}`.split(' ')
    )
  }

  private ipn(ns: NsKey, ...args: string[]): Promise<string> {
    return must('ip', ['-n', this.ns(ns), ...args])
  }

  async setNat(modeA: NatMode, modeB: NatMode): Promise<void> {
    const modes: Record<'ra' | 'rb', NatMode> = { ra: modeA, rb: modeB }
    await Promise.all(
      ROUTERS.map(async ({ ns }) => {
        const mode = modes[ns]
        if (mode !== 'cone' && mode !== 'symmetric') throw new Error(`unknown NAT mode ${mode}`)
        await must('ip', ['netns', 'exec', this.ns(ns), 'nft', '-f', '-'], ruleset(mode))
        // mappings made under the old rules would survive otherwise
        await must('ip', ['netns', 'exec', this.ns(ns), 'conntrack', '-F'])
      })
    )
  }

  spawn(host: LabHost, args: string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
    this.ip(host)
    return this.spawnIn(host, args, env)
  }

  private spawnIn(
    ns: NsKey,
    args: string[],
    env: NodeJS.ProcessEnv = {},
    stdin: 'ignore' | 'pipe' = 'ignore'
  ): RunningProcess {
    if (this.destroying !== null) throw new Error(`lab ${this.tag} is destroyed`)
    // `ip netns exec` execs node directly, so the child's pid is node's
    const child = spawn('ip', ['netns', 'exec', this.ns(ns), process.execPath, ...args], {
      env: { ...process.env, ...env },
      stdio: [stdin, 'pipe', 'pipe']
    })
    child.stdin?.on('error', () => {})
    const running = new RunningProcess(child)
    child.on('error', () => {}) // surfaces as exit code null through `exited`
    this.processes.add(running)
    void running.exited.then(() => this.processes.delete(running))
    return running
  }

  async run(
    host: LabHost,
    args: string[],
    env: NodeJS.ProcessEnv = {}
  ): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const running = this.spawn(host, args, env)
    const code = await running.exited
    return { code, stdout: running.stdout, stderr: running.stderr }
  }

  destroy(): Promise<void> {
    this.destroying ??= this.teardown()
    return this.destroying
  }

  private async teardown(): Promise<void> {
    try {
      await this.killAndDelete()
    } finally {
      liveLabs.delete(this)
      if (liveLabs.size === 0) uninstallHandlers()
    }
    const left = (await must('ip', ['netns', 'list']))
      .split('\n')
      .map((l) => l.split(' ')[0])
      .filter((n) => this.created.has(n))
    if (left.length > 0) throw new Error(`lab ${this.tag}: namespaces left after destroy: ${left}`)
  }

  private async killAndDelete(): Promise<void> {
    const mine = [...this.created]
    // SIGKILL, not SIGTERM: a hyperdht destroy() can hang once its namespace is gone
    const running = [...this.processes]
    for (const p of running) if (stillRunning(p)) p.child.kill('SIGKILL')
    const listed = await Promise.all(mine.map((ns) => exec('ip', ['netns', 'pids', ns])))
    for (const { stdout } of listed) {
      for (const pid of stdout.split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(pid), 'SIGKILL')
        } catch {
          // already gone
        }
      }
    }
    await withDeadline(
      Promise.all(running.map((p) => p.exited)),
      STOP_TIMEOUT_MS,
      `lab ${this.tag}: processes did not exit after SIGKILL`
    ).catch(() => {})
    // deleting a namespace also deletes its veths and with them their peers in other namespaces
    await Promise.all(mine.map((ns) => exec('ip', ['netns', 'del', ns])))
    await exec('sh', ['-c', strayLinksScript(this.tag)])
  }

  /** Last-resort cleanup from 'exit' and signal handlers, where nothing asynchronous runs. */
  destroySync(): void {
    for (const p of this.processes) if (stillRunning(p)) p.child.kill('SIGKILL')
    const script = [
      ...[...this.created].map(
        (ns) =>
          `for p in $(ip netns pids ${ns} 2>/dev/null); do kill -9 $p 2>/dev/null; done; ` +
          `ip netns del ${ns} 2>/dev/null`
      ),
      strayLinksScript(this.tag),
      'true'
    ].join('\n')
    try {
      execSync(script, { stdio: 'ignore', shell: '/bin/sh' })
    } catch {
      // best effort: we are exiting
    }
    liveLabs.delete(this)
  }
}

/** Builds the lab, sets both NATs to cone and waits until the three DHT nodes are ready. */
export async function createNatLab(): Promise<NatLab> {
  const lab = new Lab((await must('ip', ['netns', 'list'])).split('\n'))
  liveLabs.add(lab)
  installHandlers()
  try {
    await lab.up()
    return lab
  } catch (err) {
    await lab.destroy().catch(() => {})
    throw err
  }
}

/**
 * null when this machine can run the lab (root, `ip netns`, `nft` and `conntrack` all work: checked
 * by building a throwaway namespace with a NAT ruleset); otherwise what is missing and how to fix it.
 */
export function natLabUnavailableReason(): string | null {
  if (process.platform !== 'linux') {
    return `the NAT lab needs Linux network namespaces; this is ${process.platform}`
  }
  const uid = process.getuid?.()
  if (uid !== 0) {
    return `the NAT lab needs root (ip netns, nft, conntrack) but runs as uid ${uid}: run the tests as root`
  }
  const tools: Array<[string, string, string]> = [
    ['ip', '-V', 'iproute2'],
    ['nft', '--version', 'nftables'],
    ['conntrack', '--version', 'conntrack']
  ]
  const missing = tools.filter(([bin, arg]) => {
    try {
      execFileSync(bin, [arg], { stdio: 'ignore' })
      return false
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT'
    }
  })
  if (missing.length > 0) {
    const names = missing.map(([bin, , pkg]) => `\`${bin}\` (package ${pkg})`).join(', ')
    return `the NAT lab needs ${names}, not found in PATH: install with \`${INSTALL}\``
  }

  const ns = `rl${randomBytes(2).toString('hex')}-probe`
  const steps: Array<[string, string[], string?]> = [
    ['ip', ['netns', 'add', ns]],
    ['ip', ['netns', 'exec', ns, 'nft', '-f', '-'], ruleset('symmetric')],
    ['ip', ['netns', 'exec', ns, 'conntrack', '-F']]
  ]
  let made = false
  try {
    for (const [cmd, args, input] of steps) {
      try {
        execFileSync(cmd, args, { input, stdio: 'pipe', encoding: 'utf8' })
        made = true
      } catch (err) {
        const stderr = String((err as { stderr?: string }).stderr ?? '')
          .trim()
          .split('\n')[0]
        return (
          `the NAT lab cannot run here: \`${cmd} ${args.join(' ')}\` failed` +
          `${stderr ? ` (${stderr})` : ''}; it needs root with CAP_SYS_ADMIN/CAP_NET_ADMIN ` +
          `(network namespaces and nf_tables/conntrack in the kernel) and \`${INSTALL}\``
        )
      }
    }
    return null
  } finally {
    try {
      if (made) execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' })
    } catch {
      // nothing more we can do; the name says what it was
    }
  }
}
