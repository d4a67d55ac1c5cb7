import fs from 'fs/promises'
import path from 'path'
import { pathToFileURL } from 'url'
import { build, type Plugin, type Rollup } from 'vite'

/**
 * Compiles `source` (an ES module importing renderer files: TSX, extensionless imports) for
 * Node with Vite, the renderer's own toolchain, React left to node_modules, and imports it.
 * The file goes under dist/ (so `react` resolves) and is removed by `cleanup`.
 */
export async function importViteBundle<T>(
  name: string,
  source: string
): Promise<{ modules: T; cleanup: () => Promise<void> }> {
  const root = process.cwd()
  const id = `virtual:roost-test-${name}`
  const entry: Plugin = {
    name: `roost-test-${name}`,
    resolveId: (i) => (i === id ? '\0' + id : null),
    load: (i) => (i === '\0' + id ? source : null)
  }
  const result = await build({
    configFile: false,
    root,
    logLevel: 'silent',
    plugins: [entry],
    esbuild: { jsx: 'automatic' },
    build: {
      ssr: true,
      write: false,
      minify: false,
      rollupOptions: { input: id, output: { format: 'es', inlineDynamicImports: true } }
    }
  })
  const outputs = (Array.isArray(result) ? result : [result]) as Rollup.RollupOutput[]
  const chunk = outputs.flatMap((o) => o.output).find((o) => o.type === 'chunk')
  if (chunk === undefined || chunk.type !== 'chunk') throw new Error('no renderer bundle')
  const dir = await fs.mkdtemp(path.join(root, 'dist', `test-${name}-`))
  const file = path.join(dir, `${name}.mjs`)
  await fs.writeFile(file, chunk.code)
  const modules = (await import(pathToFileURL(file).href)) as T
  return { modules, cleanup: () => fs.rm(dir, { recursive: true, force: true }) }
}
