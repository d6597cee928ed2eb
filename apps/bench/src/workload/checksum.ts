import type { Candle } from './tick.js';

/**
 * Order-independent fold of window results (BENCH.md). All terms are integers, so
 * the sums are exact as long as they stay below 2^53; toString checks that.
 */
export class Checksum {
  windows = 0;
  count = 0;
  volume = 0;
  vwapSum = 0;
  ohlcSum = 0;

  add(c: Candle): void {
    this.windows++;
    this.count += c.count;
    this.volume += c.volume;
    this.vwapSum += Math.round(c.vwap * 1e4);
    this.ohlcSum += Math.round((c.open + 2 * c.high + 3 * c.low + 4 * c.close) * 100) + c.windowStart / 1000;
  }

  toString(): string {
    const parts = [this.windows, this.count, this.volume, this.vwapSum, this.ohlcSum];
    if (!parts.every(Number.isSafeInteger)) {
      throw new RangeError(`checksum lost integer precision: ${parts.join(',')}`);
    }
    return `w${this.windows}:c${this.count}:v${this.volume}:p${this.vwapSum}:o${this.ohlcSum}`;
  }
}
