// electron-builder `afterPack` hook: flips Electron's fuses in the packaged binary, before
// signing. electron-builder 25 has no `electronFuses` option (it came in 26), and this avoids a
// dependency on @electron/fuses: the fuse wire is a sentinel, a version byte, a length byte, then
// one byte per fuse: '0' off, '1' on, 'r' removed.
import { Buffer } from 'buffer'
import { execFile } from 'child_process'
import fs from 'fs/promises'
import path from 'path'
import { promisify } from 'util'

const SENTINEL = Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX')
const WIRE_VERSION = 1

/** FuseV1Options index → wanted state. */
export const FUSES = {
  0: false, // RunAsNode: ELECTRON_RUN_AS_NODE cannot turn the app into a plain node
  1: true, // EnableCookieEncryption
  2: false, // EnableNodeOptionsEnvironmentVariable: NODE_OPTIONS is ignored
  3: false, // EnableNodeCliInspectArguments: --inspect and friends are ignored
  4: true, // EnableEmbeddedAsarIntegrityValidation (macOS and Windows)
  5: true // OnlyLoadAppFromAsar: integrity means nothing if app/ next to it loads instead
}

/** Sets the fuses in an Electron binary's bytes; throws if it has no fuse wire or a fuse is missing. */
export function flipFuses(binary, fuses = FUSES) {
  const at = binary.indexOf(SENTINEL)
  if (at === -1) throw new Error('no Electron fuse wire in this binary')
  const version = binary[at + SENTINEL.length]
  if (version !== WIRE_VERSION) throw new Error(`unknown fuse wire version ${version}`)
  const length = binary[at + SENTINEL.length + 1]
  const first = at + SENTINEL.length + 2
  for (const [index, on] of Object.entries(fuses)) {
    const i = Number(index)
    if (i >= length || binary[first + i] === 0x72) throw new Error(`this Electron lacks fuse ${i}`)
    binary[first + i] = on ? 0x31 : 0x30
  }
  return binary
}

/** The file that holds the fuse wire, per platform. */
export function fusedBinary(context) {
  const { appOutDir, electronPlatformName, packager } = context
  const product = packager.appInfo.productFilename
  switch (electronPlatformName) {
    case 'darwin':
    case 'mas':
      return path.join(
        appOutDir,
        `${product}.app`,
        'Contents',
        'Frameworks',
        'Electron Framework.framework',
        'Electron Framework'
      )
    case 'win32':
      return path.join(appOutDir, `${product}.exe`)
    default:
      return path.join(appOutDir, packager.executableName)
  }
}

export async function afterPack(context) {
  const file = fusedBinary(context)
  await fs.writeFile(file, flipFuses(await fs.readFile(file)))
  // the edit breaks Electron's ad-hoc signature, which Apple silicon requires even unsigned; a
  // real identity re-signs the whole app after this hook
  if (file.endsWith('Electron Framework') && context.packager.platform.nodeName === 'darwin') {
    const args = [
      '--sign',
      '-',
      '--force',
      '--preserve-metadata=entitlements,requirements,flags,runtime'
    ]
    await promisify(execFile)('codesign', [...args, file])
  }
}
