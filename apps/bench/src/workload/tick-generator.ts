import { Mulberry32 } from './mulberry32.js';
import { SYMBOL_COUNT, SYMBOLS } from './symbols.js';
import type { Tick } from './tick.js';

export const TICK_SEED = 42;

/**
 * The lazy tick source of BENCH.md. Ticks are produced on demand, in order, so the
 * whole input is never held in memory. Draw order matters for bit-exactness: do not
 * reorder the rng calls in `make`.
 */
export class TickGenerator {
  private readonly rng = new Mulberry32(TICK_SEED);
  private readonly prices = new Float64Array(SYMBOL_COUNT);
  private i = 0;

  constructor(readonly n: number) {
    for (let k = 0; k < SYMBOL_COUNT; k++) this.prices[k] = 20 + this.rng.next() * 480;
  }

  /** Ticks not yet produced. */
  get remaining(): number {
    return this.n - this.i;
  }

  /** The next tick, or undefined at end of input. */
  next(): Tick | undefined {
    return this.i < this.n ? this.make(this.i++) : undefined;
  }

  /**
   * Writes up to `max` ticks into out[0 … count-1] and returns count (0 at end).
   * Slots past count are left untouched, so a reused buffer keeps its length/shape.
   */
  fill(out: Tick[], max: number): number {
    const start = this.i;
    const end = Math.min(this.n, start + max);
    for (let i = start; i < end; i++) out[i - start] = this.make(i);
    this.i = end;
    return end - start;
  }

  private make(i: number): Tick {
    const rng = this.rng;
    const prices = this.prices;
    const k = Math.floor(rng.next() * SYMBOL_COUNT);
    let p = prices[k]! * (1 + (rng.next() - 0.5) * 0.002);
    if (p < 1) p = 1;
    prices[k] = p;
    let price = Math.round(p * 100) / 100;
    let size = 1 + Math.floor(rng.next() * 500);
    let ts = Math.floor(i / 10);
    // The second draw happens only when the tick is out of order.
    if (rng.next() < 0.1) ts -= Math.floor(rng.next() * 51);
    if (ts < 0) ts = 0;
    const bad = rng.next();
    if (bad < 0.025) size = -size + 1;
    else if (bad < 0.05) price = bad < 0.0375 ? 0 : -price;
    return { symbol: SYMBOLS[k]!, price, size, ts };
  }
}
