import type { ConnectionTrouble } from '../../shared/api/contract.js'

/** What the swarm knows about one room while none of its members is connected. */
export interface LonelyRoom {
  /** How long no member has been connected. */
  lonelyForMs: number
  /** Before this, "not connected" is just connecting. */
  troubleAfterMs: number
  /** DHT nodes answer us; null while the DHT is still bootstrapping. */
  dhtReachable: boolean | null
  /** Our NAT is symmetric (hole-punching with other strict NATs cannot work). */
  symmetricNat: boolean
  /**
   * Peers of the room a hole-punch failed with: they are online (they answered) but only a relay
   * can reach them. Peers that did not answer at all may just be offline (the DHT keeps their
   * announcements for a while), so they are not counted as online.
   */
  peersNeedingRelay: number
  hasRelay: boolean
  hasBlindPeer: boolean
  /** Nobody else is in the room yet: being alone is not trouble. */
  onlyMember: boolean
}

/** Below this, "not connected" is just connecting; past it the user is told why. */
export const TROUBLE_AFTER_MS = 10_000

/** Why no member is reachable, in words for people; null while connecting. */
export function diagnoseConnection(room: LonelyRoom): ConnectionTrouble | null {
  if (room.lonelyForMs < room.troubleAfterMs || room.dhtReachable === null) return null
  if (!room.dhtReachable) {
    return {
      code: 'NO_NETWORK',
      message: 'Cannot reach the peer-to-peer network.',
      hint: 'Check that this computer is online. A firewall that blocks UDP also stops Roost.'
    }
  }
  if (room.onlyMember) return null
  if (room.peersNeedingRelay > 0 && !room.hasRelay) {
    return {
      code: 'NEEDS_RELAY',
      message:
        'Members are online, but your network and theirs block direct connections, and no relay is set.',
      hint: 'Ask a room admin to add a blind peer (it relays too), or set a relay in Settings or with `roost config relay KEY`.'
    }
  }
  if (room.peersNeedingRelay > 0) {
    return {
      code: 'PEERS_UNREACHABLE',
      message: 'Members are online, but connecting to them has not worked yet.',
      hint: 'Still trying through the relay. If this lasts, check that the relay (blind peer) is running.'
    }
  }
  const strictNat =
    room.symmetricNat && !room.hasRelay
      ? ' Your network is strict (symmetric NAT): members behind similar networks can only be reached through a relay, such as a blind peer.'
      : ''
  return {
    code: 'PEERS_OFFLINE',
    message:
      strictNat === ''
        ? 'No other member is online.'
        : 'No other member is online, or they are behind strict networks too.',
    hint:
      (room.hasBlindPeer
        ? "Messages you send are kept by the room's blind peer and reach members when they come online."
        : 'Messages you send are kept and sent when a member comes online. A blind peer would deliver them while you are offline.') +
      strictNat
  }
}
