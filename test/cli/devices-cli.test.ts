import fs from 'fs/promises'
import path from 'path'
import test from 'brittle'
import { tempDir } from '../helpers/index.js'
import {
  mustRoost,
  ROOST_BIN,
  runRoost,
  startBootstrapNode,
  startProcess
} from '../helpers/processes.js'

interface CliDevice {
  id: string
  current: boolean
  revoked: boolean
  rooms: number
}

test(
  'roost link, init --link, devices and unlink: a second device of the same person',
  { timeout: 180_000 },
  async (t) => {
    const bootstrap = await startBootstrapNode(t)
    const dir = await tempDir(t)
    const args = (name: string) => [
      '--data',
      path.join(dir, name),
      '--bootstrap',
      bootstrap,
      '--host',
      '127.0.0.1'
    ]
    const laptop = args('laptop')
    const phone = args('phone')
    const profile = JSON.parse(
      (await mustRoost(t, [...laptop, '--json', 'init', '--name', 'ada'])).lines[0]
    ) as { id: string }
    const room = (await mustRoost(t, [...laptop, 'create', 'general'])).lines[0]
    await mustRoost(t, [...laptop, 'send', room, 'typed on the laptop'])

    // garbage is refused before anything is written
    const garbage = await runRoost(t, [...args('stranger'), 'init', '--link', 'roost://link/nope'])
    t.is(garbage.code, 1, 'a garbage code: exit 1')
    t.ok(garbage.stderr.includes('LINK_INVALID'), 'LINK_INVALID: ' + garbage.stderr)
    const strangerDir = await fs.readdir(path.join(dir, 'stranger')).catch(() => [] as string[])
    t.absent(strangerDir.includes('profile.json'), 'and no profile written')

    // the laptop's one-shot core answers the code as long as `roost link` runs
    const link = startProcess(t, [ROOST_BIN, ...laptop, 'link', '--expires', '5m'])
    const code = (await link.waitForLine(/^roost:\/\/link\//)).trim()
    const linked = await runRoost(t, [
      ...phone,
      '--json',
      'init',
      '--link',
      code,
      '--timeout',
      '60s'
    ])
    t.is(linked.code, 0, 'init --link: ' + linked.stderr)
    const phoneProfile = JSON.parse(linked.lines[0]) as { id: string; name: string }
    t.is(phoneProfile.id, profile.id, 'the phone is the same profile')
    t.is(phoneProfile.name, 'ada', 'with its name')
    t.is(await link.exited, 0, '`roost link` ends once the phone has the rooms')
    t.ok(/linked device/.test(link.stderr), 'and says so')

    // the phone has the history with nobody online, and writes as ada
    const history = await mustRoost(t, [...phone, 'messages', room])
    t.ok(history.stdout.includes('typed on the laptop'), 'the phone has the history offline')
    await mustRoost(t, [...phone, 'send', room, 'typed on the phone'])
    const members = await mustRoost(t, [...phone, '--json', 'members', room])
    t.is(members.lines.length, 1, 'one member: ada')

    const listed = (await mustRoost(t, [...phone, '--json', 'devices'])).lines.map(
      (l) => JSON.parse(l) as CliDevice
    )
    t.is(listed.length, 2, 'the phone lists two devices')
    t.ok(listed[0].current && listed[0].rooms === 1, 'itself first, writer in the room')
    const laptopDevices = (await mustRoost(t, [...laptop, '--json', 'devices'])).lines.map(
      (l) => JSON.parse(l) as CliDevice
    )
    const phoneDevice = laptopDevices.find((d) => !d.current)
    t.ok(phoneDevice !== undefined, 'the laptop lists the phone')
    const text = await mustRoost(t, [...laptop, 'devices'])
    t.ok(text.lines[0].includes('this device'), 'people see which one is this device')

    const reused = await runRoost(t, [...args('thief'), 'init', '--link', code, '--timeout', '5s'])
    t.is(reused.code, 1, 'the code is single use')
    t.ok(/LINK_USED|JOIN_TIMEOUT/.test(reused.stderr), 'refused: ' + reused.stderr)

    const unlinked = await runRoost(t, [...laptop, 'unlink', (phoneDevice?.id ?? '').slice(0, 8)])
    t.is(unlinked.code, 0, 'unlink by the first characters: ' + unlinked.stderr)
    const after = (await mustRoost(t, [...laptop, '--json', 'devices'])).lines.map(
      (l) => JSON.parse(l) as CliDevice
    )
    t.ok(after.find((d) => d.id === phoneDevice?.id)?.revoked, 'listed as unlinked')
    const stranger = await runRoost(t, [...laptop, 'unlink', 'yyyyyyyyyyyyyyyy'])
    t.ok(stranger.stderr.includes('DEVICE_NOT_FOUND'), 'a stranger: DEVICE_NOT_FOUND')
  }
)
