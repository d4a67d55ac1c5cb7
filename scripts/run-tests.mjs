// Runs every compiled brittle file in its own process (a leak in one cannot hang another),
// echoes brittle's TAP, and ends with the totals: `N passed, N failed`.
import { spawn } from 'child_process'
import fs from 'fs'
import path from 'path'

const root = path.resolve('dist/test')
/* global setTimeout, clearTimeout */
const FILE_TIMEOUT_MS = 5 * 60 * 1000

function findTests(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? findTests(path.join(dir, e.name))
        : e.name.endsWith('.test.js')
          ? [path.join(dir, e.name)]
          : []
    )
    .sort()
}

const filter = process.argv[2] ?? ''
const files = findTests(root).filter((f) => f.includes(filter))
let passed = 0
let failed = 0

for (const file of files) {
  console.log(`\n# file ${path.relative(process.cwd(), file)}`)
  const { code, output } = await new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['node_modules/brittle/cmd.js', path.relative(process.cwd(), file)],
      {
        stdio: ['ignore', 'pipe', 'pipe']
      }
    )
    let output = ''
    const timer = setTimeout(() => child.kill('SIGKILL'), FILE_TIMEOUT_MS)
    child.stdout.on('data', (d) => {
      output += d
      process.stdout.write(d)
    })
    child.stderr.on('data', (d) => process.stderr.write(d))
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
  const match = /# tests = (\d+)\/(\d+) pass/.exec(output)
  if (match) {
    passed += Number(match[1])
    failed += Number(match[2]) - Number(match[1])
    if (code !== 0 && match[1] === match[2]) failed += 1 // crashed after its tests passed
  } else {
    failed += 1
    console.log(`# ${path.basename(file)} exited with ${code} before reporting`)
  }
}

console.log(`\n${passed} passed, ${failed} failed`)
process.exitCode = failed === 0 && files.length > 0 ? 0 : 1
