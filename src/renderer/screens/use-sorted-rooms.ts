import { useMemo } from 'react'
import type { Room } from '../../shared/api/contract.js'
import { useAppState } from '../state/hooks'
import { sortRooms } from '../state/room-ops'

/** The rooms by most recent activity (recomputed only when a room changes). */
export function useSortedRooms(): Room[] {
  const rooms = useAppState((s) => s.rooms)
  return useMemo(() => sortRooms(rooms), [rooms])
}
