import { Mulberry32, mulberry32Step as step, mulberry32Value as value } from './mulberry32.js';
import type { SymbolUniverse } from './symbol-universe.js';
import type { Tick } from './tick.js';

export const TICK_SEED = 42;
const NEXT_BATCH = 256;

/**
 * The lazy tick source of BENCH.md. Ticks are produced on demand, in order, so the
 * whole input is never held in memory. Draw order matters for bit-exactness: do not
 * reorder the draws in `generate`.
 */
export class TickGenerator {
  private readonly symbols: readonly string[];
  private readonly prices: Float64Array;
  private rngState: number;
  private produced = 0;
  // next() serves from a small batch so per-record callers still get the fast loop.
  private readonly pending: Tick[] = [];
  private pendingAt = 0;
  private pendingEnd = 0;

  constructor(
    readonly n: number,
    universe: SymbolUniverse,
  ) {
    this.symbols = universe.symbols;
    this.prices = new Float64Array(universe.count);
    const rng = new Mulberry32(TICK_SEED);
    for (let k = 0; k < universe.count; k++) this.prices[k] = 20 + rng.next() * 480;
    this.rngState = rng.state;
  }

  /** Where the generator stands (for a rewindable source): ticks produced, PRNG state, prices. */
  state(): { produced: number; rngState: number; prices: number[] } {
    if (this.pendingAt !== this.pendingEnd) throw new Error('TickGenerator.state(): ticks buffered by next() are not handed out yet');
    return { produced: this.produced, rngState: this.rngState, prices: Array.from(this.prices) };
  }

  /** Goes back (or forward) to a state that `state()` returned. */
  restore(state: { produced: number; rngState: number; prices: readonly number[] }): void {
    this.produced = state.produced;
    this.rngState = state.rngState;
    this.prices.set(state.prices);
    this.pendingAt = this.pendingEnd = 0;
  }

  /** Ticks not yet handed out. */
  get remaining(): number {
    return this.n - this.produced + (this.pendingEnd - this.pendingAt);
  }

  /** The next tick, or undefined at end of input. */
  next(): Tick | undefined {
    if (this.pendingAt === this.pendingEnd) {
      this.pendingEnd = this.generate(this.pending, 0, NEXT_BATCH);
      this.pendingAt = 0;
      if (this.pendingEnd === 0) return undefined;
    }
    return this.pending[this.pendingAt++];
  }

  /**
   * Writes up to `max` ticks into out[0 … count-1] and returns count (0 at end).
   * Slots past count are left untouched, so a reused buffer keeps its length.
   */
  fill(out: Tick[], max: number): number {
    let count = 0;
    // Ticks already buffered by next() come first, to keep order when both are used.
    while (this.pendingAt < this.pendingEnd && count < max) out[count++] = this.pending[this.pendingAt++]!;
    return count + this.generate(out, count, max - count);
  }

  private generate(out: Tick[], offset: number, max: number): number {
    const start = this.produced;
    const end = Math.min(this.n, start + max);
    const prices = this.prices;
    const symbols = this.symbols;
    const count = symbols.length;
    let a = this.rngState;
    for (let i = start; i < end; i++) {
      a = step(a);
      const k = Math.floor(value(a) * count);
      a = step(a);
      let p = prices[k]! * (1 + (value(a) - 0.5) * 0.002);
      if (p < 1) p = 1;
      prices[k] = p;
      let price = Math.round(p * 100) / 100;
      a = step(a);
      let size = 1 + Math.floor(value(a) * 500);
      let ts = Math.floor(i / 10);
      a = step(a);
      // The extra draw happens only when the tick is out of order.
      if (value(a) < 0.1) {
        a = step(a);
        ts -= Math.floor(value(a) * 51);
      }
      if (ts < 0) ts = 0;
      a = step(a);
      const bad = value(a);
      if (bad < 0.025) size = -size + 1;
      else if (bad < 0.05) price = bad < 0.0375 ? 0 : -price;
      out[offset + i - start] = { symbol: symbols[k]!, price, size, ts };
    }
    this.rngState = a;
    this.produced = end;
    return end - start;
  }
}
