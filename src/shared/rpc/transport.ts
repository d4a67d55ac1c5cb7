/** A message pipe carrying JSON text frames between a client and the core. */
export interface Transport {
  send(frame: string): void
  onMessage(listener: (frame: string) => void): void
  onClose(listener: () => void): void
  close(): void
}
