import type { RoomConnection } from '../../shared/api/contract.js'

export interface ConnectionStateProps {
  connection: RoomConnection
  syncing: boolean
}

function describe({ peers, direct, relayed }: RoomConnection): string {
  if (peers === 0) return 'No peers online'
  const count = peers === 1 ? '1 peer' : `${peers} peers`
  if (relayed === 0) return `${count} · direct`
  if (direct === 0) return `${count} · relayed`
  return `${count} · ${direct} direct, ${relayed} relayed`
}

/** Who this device is connected to for the room, and whether it is catching up. */
export function ConnectionState({ connection, syncing }: ConnectionStateProps) {
  const kind = syncing ? 'syncing' : connection.peers === 0 ? 'offline' : 'online'
  const text = describe(connection)
  const title =
    connection.peers === 0
      ? 'Nobody else in this room is online. What you send is kept and goes out when someone comes online.'
      : 'Relayed connections go through another peer because a direct one could not be made.'
  return (
    <span
      className={`connection-state ${kind}`}
      data-testid="connection-state"
      data-peers={connection.peers}
      data-direct={connection.direct}
      data-relayed={connection.relayed}
      data-syncing={syncing ? 'true' : 'false'}
      title={title}
      role="status"
    >
      <span className="connection-dot" aria-hidden />
      {syncing ? `Syncing… · ${text}` : text}
    </span>
  )
}
