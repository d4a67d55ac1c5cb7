import type { NotifyLevel } from '../../shared/api/contract.js'

/** Each notify level with the words the settings and the room menu show for it. */
export const NOTIFY_LEVELS: ReadonlyArray<readonly [NotifyLevel, string]> = [
  ['all', 'Every message'],
  ['mentions', 'Only @mentions'],
  ['none', 'Nothing (muted)']
]
