/** A small seeded PRNG (mulberry32): the same seed gives the same run, so a failure replays. */
export class Prng {
  private _state: number

  constructor(seed: number) {
    this._state = seed >>> 0
  }

  /** A float in [0, 1). */
  next(): number {
    let t = (this._state = (this._state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n)
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]
  }

  bytes(n: number): Buffer {
    const out = Buffer.allocUnsafe(n)
    for (let i = 0; i < n; i++) out[i] = this.int(256)
    return out
  }
}

/** The seed of this run: FUZZ_SEED from the environment, else a fresh one (print it). */
export function fuzzSeed(): number {
  const given = process.env.FUZZ_SEED
  if (given !== undefined && given !== '') return Number(given) >>> 0
  return Math.floor(Math.random() * 2 ** 32) >>> 0
}
