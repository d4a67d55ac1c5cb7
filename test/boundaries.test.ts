import fs from 'fs/promises'
import { builtinModules } from 'module'
import path from 'path'
import { fileURLToPath } from 'url'
import test from 'brittle'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const SOURCE = /\.(ts|tsx|js|mjs)$/

/** Every source file under dir; a missing or empty dir throws, so a moved layer cannot pass. */
async function sourceFiles(dir: string): Promise<string[]> {
  const full = path.join(ROOT, dir)
  const entries = await fs.readdir(full, { withFileTypes: true, recursive: true })
  const files = entries
    .filter((e) => e.isFile() && SOURCE.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
  if (files.length === 0) throw new Error(`${dir} has no source files: did the layer move?`)
  return files
}

/** Every module specifier a file imports, statically or dynamically. */
export function importsOf(source: string): string[] {
  const found: string[] = []
  const patterns = [
    /\bfrom\s+['"]([^'"]+)['"]/g,
    /\bimport\s+['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\brequire\(\s*['"]([^'"]+)['"]\s*\)/g
  ]
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1])
  return found
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, 'node:' + m]))
const UI_MODULES = /^(electron|react|react-dom)(\/|$)/

async function violations(
  dir: string,
  isBad: (specifier: string, file: string) => boolean
): Promise<string[]> {
  const out: string[] = []
  for (const file of await sourceFiles(dir)) {
    for (const specifier of importsOf(await fs.readFile(file, 'utf8'))) {
      if (isBad(specifier, file)) out.push(`${path.relative(ROOT, file)} imports ${specifier}`)
    }
  }
  return out
}

function resolvesInto(specifier: string, file: string, dir: string): boolean {
  if (!specifier.startsWith('.')) return false
  const target = path.resolve(path.dirname(file), specifier)
  return target.startsWith(path.join(ROOT, dir) + path.sep)
}

test('src/core and src/shared never import electron, react or the DOM', async (t) => {
  t.alike(
    await violations(
      'src/core',
      (s, file) =>
        UI_MODULES.test(s) ||
        resolvesInto(s, file, 'src/renderer') ||
        resolvesInto(s, file, 'src/main')
    ),
    []
  )
  t.alike(
    await violations(
      'src/shared',
      (s, file) =>
        UI_MODULES.test(s) ||
        NODE_BUILTINS.has(s) ||
        ['src/core', 'src/main', 'src/renderer'].some((dir) => resolvesInto(s, file, dir))
    ),
    []
  )
  for (const file of [...(await sourceFiles('src/core')), ...(await sourceFiles('src/shared'))]) {
    const text = await fs.readFile(file, 'utf8')
    t.absent(
      /\b(window|document|localStorage)\./.test(text),
      `${path.relative(ROOT, file)} uses no DOM`
    )
  }
})

test('src/renderer never imports src/core or node built-ins', async (t) => {
  const bad = await violations(
    'src/renderer',
    (s, file) => NODE_BUILTINS.has(s) || resolvesInto(s, file, 'src/core') || s === 'electron'
  )
  t.alike(bad, [])
})

test('src/preload only exposes the transport', async (t) => {
  const files = await sourceFiles('src/preload')
  t.ok(files.length > 0, 'there is a preload')
  for (const file of files) {
    const text = await fs.readFile(file, 'utf8')
    t.alike(
      importsOf(text).filter((s) => s !== 'electron' && !s.endsWith('shared/app-bridge.js')),
      [],
      'imports only electron (and the bridge type)'
    )
    t.is(text.match(/exposeInMainWorld/g)?.length, 1, 'exposes exactly one object')
    t.ok(text.split('\n').length <= 120, 'small enough to hold no business logic')
  }
})

test('the boundary check itself catches a violation', async (t) => {
  t.alike(importsOf("import x from 'react'\nconst y = await import('fs')"), ['react', 'fs'])
  t.ok(UI_MODULES.test('electron') && NODE_BUILTINS.has('node:fs'))
  t.ok(resolvesInto('../core/roost.js', path.join(ROOT, 'src/renderer/app.tsx'), 'src/core'))
  t.absent(resolvesInto('./roost.js', path.join(ROOT, 'src/core/index.ts'), 'src/renderer'))
  await t.exception(sourceFiles('src/no-such-layer'), /ENOENT/, 'a missing layer fails the test')
})
