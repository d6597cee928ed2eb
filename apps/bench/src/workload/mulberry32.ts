/**
 * mulberry32 PRNG, bit-exact with BENCH.md so every implementation sees the same ticks.
 * Split into step + output so hot loops can keep the state in a local: storing an
 * int32 into an object field on every draw costs ~25% of the tick source's speed.
 */
export function mulberry32Step(a: number): number {
  return (a + 0x6d2b79f5) | 0;
}

/** The draw in [0, 1) for an already-stepped state. */
export function mulberry32Value(a: number): number {
  let t = Math.imul(a ^ (a >>> 15), 1 | a);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Convenience wrapper for cold code. */
export class Mulberry32 {
  constructor(public state: number) {
    this.state = state | 0;
  }

  next(): number {
    this.state = mulberry32Step(this.state);
    return mulberry32Value(this.state);
  }
}
