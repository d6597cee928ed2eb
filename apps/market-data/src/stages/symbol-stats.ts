import { Stage, type Aggregator } from '@sluice/sdk';
import type { RichTick } from '../model/rich-tick.js';
import type { SymbolSnapshot } from '../model/symbol-snapshot.js';

/** The running state of one symbol: what a snapshot is computed from. */
export interface SymbolAccumulator {
  symbol: string;
  sector: string;
  count: number;
  volume: number;
  /** Sum of price × size. */
  notional: number;
  high: number;
  low: number;
  last: number;
  lastTs: number;
  outOfOrder: number;
}

/**
 * Running statistics per symbol over the whole stream: VWAP, trade count, volume, high, low.
 * Keyed by symbol; emits the symbol's updated snapshot after every trade.
 */
@Stage({ name: 'symbol-stats', from: 'enriched', key: (t: RichTick) => t.symbol, emit: 'updates' })
export class SymbolStats implements Aggregator<RichTick, SymbolAccumulator, SymbolSnapshot> {
  create(key: unknown): SymbolAccumulator {
    return {
      symbol: key as string,
      sector: '',
      count: 0,
      volume: 0,
      notional: 0,
      high: -Infinity,
      low: Infinity,
      last: Number.NaN,
      lastTs: -Infinity,
      outOfOrder: 0,
    };
  }

  add(acc: SymbolAccumulator, t: RichTick): SymbolAccumulator {
    acc.sector = t.sector;
    acc.count++;
    acc.volume += t.size;
    acc.notional += t.price * t.size;
    if (t.price > acc.high) acc.high = t.price;
    if (t.price < acc.low) acc.low = t.price;
    acc.last = t.price;
    if (t.ts < acc.lastTs) acc.outOfOrder++;
    else acc.lastTs = t.ts;
    return acc;
  }

  result(acc: SymbolAccumulator): SymbolSnapshot {
    return {
      symbol: acc.symbol,
      sector: acc.sector,
      count: acc.count,
      volume: acc.volume,
      vwap: acc.volume === 0 ? Number.NaN : acc.notional / acc.volume,
      high: acc.high,
      low: acc.low,
      last: acc.last,
      lastTs: acc.lastTs,
      outOfOrder: acc.outOfOrder,
    };
  }
}
