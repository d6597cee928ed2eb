import type { WindowResult } from '@sluice/sdk';
import type { Candle } from '../model/candle.js';

/** Windows kept per symbol: enough for a short chart, bounded however long the demo runs. */
const KEEP = 10;

/**
 * The candles sink's in-memory result: the latest candles of every symbol (an update replaces
 * its window's candle) and how many candles and updates arrived.
 */
export class CandleBoard {
  /** Windows fired when the watermark passed their end (one candle per symbol and second). */
  candles = 0;
  /**
   * Results of late ticks within the lateness (`update: true`): each changes a candle already
   * out, or opens the window if it had no tick when it fired.
   */
  updates = 0;
  private readonly bySymbol = new Map<string, WindowResult<Candle>[]>();

  /** @param onCandle called with every result, updates included, in the order they arrive */
  constructor(private readonly onCandle?: (candle: WindowResult<Candle>) => void) {}

  add(c: WindowResult<Candle>): void {
    if (c.update) this.updates++;
    else this.candles++;
    const symbol = c.value.symbol;
    let list = this.bySymbol.get(symbol);
    if (list === undefined) {
      list = [];
      this.bySymbol.set(symbol, list);
    }
    // Newest last; a window's update replaces it where it is.
    let i = list.length;
    while (i > 0 && list[i - 1]!.start > c.start) i--;
    if (i > 0 && list[i - 1]!.start === c.start) list[i - 1] = c;
    else list.splice(i, 0, c);
    if (list.length > KEEP) list.shift();
    this.onCandle?.(c);
  }

  /** The candle of `symbol`'s newest window, if it has one. */
  latest(symbol: string): WindowResult<Candle> | undefined {
    const list = this.bySymbol.get(symbol);
    return list?.[list.length - 1];
  }

  /** The latest candles of `symbol` (up to 10 windows), oldest first. */
  recent(symbol: string): readonly WindowResult<Candle>[] {
    return [...(this.bySymbol.get(symbol) ?? [])];
  }
}
