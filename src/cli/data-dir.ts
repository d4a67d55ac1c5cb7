import os from 'os'
import path from 'path'

/** The OS's per-user app-data directory for Roost. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const home = os.homedir()
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Roost')
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Roost')
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'roost')
  }
}
