import fs from 'fs/promises'
import { createRequire } from 'module'
import path from 'path'
import { fileURLToPath, pathToFileURL } from 'url'
import test from 'brittle'
import { tempDir } from '../helpers/index.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const require = createRequire(import.meta.url)
/** electron-builder's own YAML reader (a dependency of it, not of ours). */
const yaml = require('js-yaml') as { load(text: string): unknown }

interface FuseHook {
  FUSES: Record<number, boolean>
  flipFuses(binary: Buffer, fuses?: Record<number, boolean>): Buffer
  afterPack(context: unknown): Promise<void>
}

async function builderConfig(): Promise<Record<string, unknown>> {
  const text = await fs.readFile(path.join(ROOT, 'electron-builder.yml'), 'utf8')
  return yaml.load(text) as Record<string, unknown>
}

async function hook(config: Record<string, unknown>): Promise<FuseHook> {
  return (await import(pathToFileURL(path.join(ROOT, String(config.afterPack))).href)) as FuseHook
}

/** An Electron-like binary: junk, the fuse wire (version 1, 8 fuses, all '1' but 7 'r'), junk. */
function fakeElectron(): Buffer {
  const wire = Buffer.concat([
    Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'),
    Buffer.from([1, 8]),
    Buffer.from('1111111r')
  ])
  return Buffer.concat([Buffer.alloc(1000, 7), wire, Buffer.alloc(1000, 9)])
}

test('electron-builder.yml is valid for the installed electron-builder', async (t) => {
  const config = await builderConfig()
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
    validateConfiguration(config: unknown, logger: unknown): Promise<void>
  }
  await validateConfiguration(config, { isEnabled: false, add: () => {} })
  t.pass('validates against app-builder-lib/scheme.json')
  const scheme = JSON.parse(
    await fs.readFile(require.resolve('app-builder-lib/scheme.json'), 'utf8')
  ) as { properties: Record<string, unknown> }
  if (scheme.properties.electronFuses === undefined) {
    t.is(config.afterPack, 'build/electron-fuses.mjs', 'no electronFuses here: the hook sets fuses')
  } else {
    t.comment('this electron-builder has electronFuses: the afterPack hook could give way to it')
  }
  await t.exception(
    validateConfiguration({ ...config, electronFusesTypo: true }, { isEnabled: false, add() {} }),
    /electronFusesTypo/,
    'the validator does refuse unknown keys'
  )
})

test('the fuse hook turns RunAsNode, NODE_OPTIONS and inspect off; cookies, asar on', async (t) => {
  const { FUSES, flipFuses } = await hook(await builderConfig())
  t.alike(FUSES, { 0: false, 1: true, 2: false, 3: false, 4: true, 5: true })
  const binary = fakeElectron()
  const at = binary.indexOf('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX') + 34
  flipFuses(binary)
  t.is(binary.subarray(at, at + 8).toString(), '0100111r', 'fuses 0-5 as wanted, 6-7 untouched')
  t.is(binary[999], 7)
  t.is(binary[at + 8], 9, 'nothing else changes')
  t.exception(() => flipFuses(Buffer.alloc(100)), /no Electron fuse wire/)
  t.exception(() => flipFuses(fakeElectron(), { 7: true }), /lacks fuse 7/)
})

test('afterPack flips the fuses in the packaged Linux binary', async (t) => {
  const { afterPack } = await hook(await builderConfig())
  const appOutDir = await tempDir(t)
  await fs.writeFile(path.join(appOutDir, 'roost-desktop'), fakeElectron())
  await afterPack({
    appOutDir,
    electronPlatformName: 'linux',
    packager: {
      executableName: 'roost-desktop',
      appInfo: { productFilename: 'Roost' },
      platform: { nodeName: 'linux' }
    }
  })
  const out = await fs.readFile(path.join(appOutDir, 'roost-desktop'))
  const at = out.indexOf('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX') + 34
  t.is(out.subarray(at, at + 6).toString(), '010011')
})
