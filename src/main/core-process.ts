import { MessageChannelMain, utilityProcess, type UtilityProcess, type WebContents } from 'electron'
import type { Transport } from '../shared/rpc/transport.js'
import { IPC, type HostMessage } from './ipc.js'
import { PortTransport } from './port-transport.js'

/** The core host (a utilityProcess running core-host.js), seen from Electron main. */
export class CoreProcess {
  readonly entry: string
  readonly args: string[]
  /** Called when the host exits without being asked to. */
  readonly onCrash: (code: number) => void
  startedAt: number
  private _child: UtilityProcess | null
  private _exited: Promise<void>
  private _stopping: boolean

  constructor(entry: string, args: string[], onCrash: (code: number) => void) {
    this.entry = entry
    this.args = args
    this.onCrash = onCrash
    this.startedAt = 0
    this._child = null
    this._exited = Promise.resolve()
    this._stopping = false
  }

  get running(): boolean {
    return this._child !== null
  }

  /** Forks the host; only after app `ready`. */
  start(): void {
    if (this._child !== null || this._stopping) return
    const child = utilityProcess.fork(this.entry, this.args, {
      serviceName: 'Roost core',
      stdio: 'inherit'
    })
    this._child = child
    this.startedAt = Date.now()
    this._exited = new Promise((resolve) => {
      child.once('exit', (code) => {
        this._child = null
        resolve()
        if (!this._stopping) this.onCrash(code)
      })
    })
  }

  /**
   * A fresh channel for one page load: one end to the host, the other to the page. Without a
   * host the page still gets a port, already closed, so it shows that the core is gone.
   */
  connect(contents: WebContents): void {
    const { port1, port2 } = new MessageChannelMain()
    if (this._child === null) port1.close()
    else this._child.postMessage({ type: 'port' } satisfies HostMessage, [port1])
    contents.postMessage(IPC.port, null, [port2])
  }

  /** A channel for main's own calls to the core (the files it saved); null without a host. */
  connectMain(): Transport | null {
    if (this._child === null) return null
    const { port1, port2 } = new MessageChannelMain()
    this._child.postMessage({ type: 'port' } satisfies HostMessage, [port1])
    return new PortTransport(port2)
  }

  /** Asks the host to close the core; kills it if it has not exited within `timeoutMs`. */
  async stop(timeoutMs: number): Promise<void> {
    this._stopping = true
    const child = this._child
    if (child === null) return
    child.postMessage({ type: 'shutdown' } satisfies HostMessage)
    let timer: NodeJS.Timeout | undefined
    const timedOut = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), timeoutMs)
    })
    const late = await Promise.race([this._exited.then(() => false), timedOut])
    clearTimeout(timer)
    if (late) child.kill()
  }
}
