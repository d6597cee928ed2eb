import { Stage, Window, type Aggregator } from '@sluice/sdk';
import type { Candle } from '../model/candle.js';
import type { RichTick } from '../model/rich-tick.js';

/** The running state of one symbol's window: what its candle is computed from. */
export interface CandleAccumulator {
  symbol: string;
  openTs: number;
  open: number;
  closeTs: number;
  close: number;
  high: number;
  low: number;
  volume: number;
  /** Sum of price × size. */
  notional: number;
  count: number;
}

/**
 * One-second candles per symbol, on event time: a window fires when the feed's watermark
 * (latest event time − 50 ms) passes its end. Open and close go by event time, not arrival, so
 * an out-of-order tick lands where it belongs.
 *
 * A tick that arrives after its window fired but within 100 ms of the window's end re-fires the
 * window (a result with `update: true`); a later one goes to the late-data output
 * `candles:late`. The lateness is shorter than the feed's 250 ms worst case on purpose: with
 * the 50 ms watermark delay, a lateness of 200 ms or more would take every late tick, and the
 * late output would stay empty.
 */
@Stage({ name: 'candles', from: 'enriched', key: (t: RichTick) => t.symbol })
@Window({ tumbling: '1s', lateness: '100ms' })
export class Candles implements Aggregator<RichTick, CandleAccumulator, Candle> {
  create(key: unknown): CandleAccumulator {
    return {
      symbol: key as string,
      openTs: Infinity,
      open: Number.NaN,
      closeTs: -Infinity,
      close: Number.NaN,
      high: -Infinity,
      low: Infinity,
      volume: 0,
      notional: 0,
      count: 0,
    };
  }

  add(acc: CandleAccumulator, t: RichTick): CandleAccumulator {
    // On equal event times the first to arrive opens and the last to arrive closes.
    if (t.ts < acc.openTs) {
      acc.openTs = t.ts;
      acc.open = t.price;
    }
    if (t.ts >= acc.closeTs) {
      acc.closeTs = t.ts;
      acc.close = t.price;
    }
    if (t.price > acc.high) acc.high = t.price;
    if (t.price < acc.low) acc.low = t.price;
    acc.volume += t.size;
    acc.notional += t.price * t.size;
    acc.count++;
    return acc;
  }

  result(acc: CandleAccumulator): Candle {
    return {
      symbol: acc.symbol,
      open: acc.open,
      high: acc.high,
      low: acc.low,
      close: acc.close,
      volume: acc.volume,
      vwap: acc.notional / acc.volume,
      count: acc.count,
    };
  }
}
