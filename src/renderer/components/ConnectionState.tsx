import type { RoomConnection, RoomSyncing } from '../../shared/api/contract.js'
import { syncingText } from '../util/format'

export interface ConnectionStateProps {
  connection: RoomConnection
  syncing: RoomSyncing | null
  /** This profile is the room's only member: there is nobody to connect to. */
  alone: boolean
}

function shortKey(key: string): string {
  return key.slice(0, 8)
}

function describe({ peers, direct, relayed, relays, trouble }: RoomConnection): string {
  if (peers === 0) return trouble === null ? 'Connecting…' : trouble.message
  const count = peers === 1 ? '1 peer' : `${peers} peers`
  const via = relays.length > 0 ? ` via ${relays.map(shortKey).join(', ')}` : ''
  if (relayed === 0) return `${count} · direct`
  if (direct === 0) return `${count} · relayed${via}`
  return `${count} · ${direct} direct, ${relayed} relayed${via}`
}

function explain(connection: RoomConnection): string {
  if (connection.trouble !== null) return connection.trouble.hint
  if (connection.peers === 0) {
    return 'Looking for the other members. What you send is kept and goes out when someone comes online.'
  }
  if (connection.relayed > 0) {
    return `Relayed connections go through a blind relay (${connection.relays.join(', ')}) because a direct one could not be made. The relay cannot read them.`
  }
  return 'Connected directly to the other members.'
}

/** Who this device is connected to for the room, how, and why nobody is when that lasts. */
export function ConnectionState({ connection, syncing, alone }: ConnectionStateProps) {
  if (alone && connection.peers === 0) {
    return (
      <span
        className="connection-state alone"
        data-testid="connection-state"
        data-peers={0}
        data-alone="true"
        title="Nobody else is in this room yet. Invite someone: they join with the code."
        role="status"
      >
        <span className="connection-dot" aria-hidden />
        Only you are here: invite someone
      </span>
    )
  }
  const kind =
    connection.trouble !== null
      ? 'trouble'
      : syncing !== null
        ? 'syncing'
        : connection.peers === 0
          ? 'offline'
          : 'online'
  const text = describe(connection)
  return (
    <span
      className={`connection-state ${kind}`}
      data-testid="connection-state"
      data-peers={connection.peers}
      data-direct={connection.direct}
      data-relayed={connection.relayed}
      data-trouble={connection.trouble?.code ?? ''}
      data-syncing={syncing !== null ? 'true' : 'false'}
      data-blocks-left={syncing?.blocksLeft ?? 0}
      title={explain(connection)}
      role="status"
    >
      <span className="connection-dot" aria-hidden />
      {syncing !== null ? `${syncingText(syncing)} · ${text}` : text}
    </span>
  )
}
