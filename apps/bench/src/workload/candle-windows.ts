import type { Candle, RichTick } from './tick.js';

export const WINDOW_MS = 1000;
export const ALLOWED_LATENESS_MS = 50;

/** Running aggregate of one (symbol, window). */
class CandleAccumulator {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  notional: number;
  count = 1;

  constructor(
    readonly symbol: string,
    t: RichTick,
  ) {
    this.open = this.high = this.low = this.close = t.price;
    this.volume = t.size;
    this.notional = t.notional;
  }

  add(t: RichTick): void {
    const price = t.price;
    if (price > this.high) this.high = price;
    if (price < this.low) this.low = price;
    this.close = price;
    this.volume += t.size;
    this.notional += t.notional;
    this.count++;
  }

  toCandle(windowStart: number): Candle {
    return {
      symbol: this.symbol,
      windowStart,
      open: this.open,
      high: this.high,
      low: this.low,
      close: this.close,
      volume: this.volume,
      vwap: this.notional / this.volume,
      count: this.count,
    };
  }
}

/** All symbols' accumulators for one window start: windows are aligned, so they close together. */
class WindowGroup {
  // A null-prototype dictionary rather than a Map: keyed loads are ~12% faster end to end here.
  readonly bySymbol: Record<string, CandleAccumulator | undefined> = Object.create(null);

  constructor(readonly start: number) {}
}

/**
 * Per-symbol tumbling event-time windows with a bounded-lateness watermark
 * (max ts seen − 50 ms), shared by every benchmark implementation so they differ
 * only in how records reach it.
 */
export class CandleWindows {
  /** Ticks dropped because their window had already closed (none with the BENCH.md source). */
  late = 0;
  private watermark = -Infinity;
  private maxTs = -Infinity;
  // Open groups sorted by start; ticks lag at most ~50 ms, so this stays 1–2 long.
  private readonly groups: WindowGroup[] = [];

  add(t: RichTick, emit: (c: Candle) => void): void {
    const ts = t.ts;
    const start = ts - (((ts % WINDOW_MS) + WINDOW_MS) % WINDOW_MS);
    if (start + WINDOW_MS <= this.watermark) {
      this.late++;
      return;
    }
    const windows = this.groupFor(start).bySymbol;
    const acc = windows[t.symbol];
    if (acc === undefined) windows[t.symbol] = new CandleAccumulator(t.symbol, t);
    else acc.add(t);
    if (ts > this.maxTs) {
      this.maxTs = ts;
      this.watermark = ts - ALLOWED_LATENESS_MS;
      this.closeUpTo(this.watermark, emit);
    }
  }

  /** End of input: every open window closes. */
  flush(emit: (c: Candle) => void): void {
    this.closeUpTo(Infinity, emit);
  }

  private groupFor(start: number): WindowGroup {
    const groups = this.groups;
    let i = groups.length - 1;
    // Newest first: nearly every tick lands in the latest window.
    for (; i >= 0; i--) {
      const g = groups[i]!;
      if (g.start === start) return g;
      if (g.start < start) break;
    }
    const g = new WindowGroup(start);
    groups.splice(i + 1, 0, g);
    return g;
  }

  private closeUpTo(watermark: number, emit: (c: Candle) => void): void {
    const groups = this.groups;
    let closed = 0;
    while (closed < groups.length && groups[closed]!.start + WINDOW_MS <= watermark) {
      const g = groups[closed++]!;
      for (const symbol in g.bySymbol) emit(g.bySymbol[symbol]!.toCandle(g.start));
    }
    if (closed > 0) groups.splice(0, closed);
  }
}
