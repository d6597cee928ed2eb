/** mulberry32 PRNG, bit-exact with BENCH.md so every implementation sees the same ticks. */
export class Mulberry32 {
  private a: number;

  constructor(seed: number) {
    this.a = seed | 0;
  }

  /** Uniform draw in [0, 1). */
  next(): number {
    const a = (this.a = (this.a + 0x6d2b79f5) | 0);
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
