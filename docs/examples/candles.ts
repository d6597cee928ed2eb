// file: docs/examples/candles.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { Stage, Window, type Aggregator, type WindowResult } from '@sluice/sdk';

/** One trade; `ts` is when it happened at the exchange (ms). */
export interface Tick {
  symbol: string;
  ts: number;
  price: number;
  size: number;
}

/** One candle: what a window of ticks of one symbol adds up to. */
export interface Candle {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number;
}

interface Acc {
  openTs: number;
  open: number;
  closeTs: number;
  close: number;
  high: number;
  low: number;
  volume: number;
  pv: number;
}

// Out of order within 200 ms, and two ticks that arrive very late.
export const ticks: Tick[] = [
  { symbol: 'AAPL', ts: 1_000, price: 190.0, size: 100 },
  { symbol: 'MSFT', ts: 1_100, price: 410.0, size: 50 },
  { symbol: 'AAPL', ts: 1_700, price: 190.4, size: 200 },
  { symbol: 'AAPL', ts: 1_500, price: 189.8, size: 100 }, // out of order: its window is still open
  { symbol: 'MSFT', ts: 2_300, price: 411.0, size: 100 }, // watermark 2100: [1000, 2000) closes
  { symbol: 'AAPL', ts: 1_900, price: 190.2, size: 300 }, // late, within lateness: an updated candle
  { symbol: 'AAPL', ts: 2_800, price: 190.9, size: 100 },
  { symbol: 'MSFT', ts: 3_700, price: 411.5, size: 20 }, // watermark 3500: [2000, 3000) closes; [1000, 2000) is purged
  { symbol: 'AAPL', ts: 1_950, price: 191.0, size: 10 }, // later than the lateness: to the late output
];

@Stage({ name: 'candles', from: 'ticks', key: (t: Tick) => t.symbol })
@Window({ tumbling: '1s', lateness: '1s' })
export class Candles implements Aggregator<Tick, Acc, Candle> {
  create(): Acc {
    return { openTs: Infinity, open: 0, closeTs: -Infinity, close: 0, high: -Infinity, low: Infinity, volume: 0, pv: 0 };
  }

  add(acc: Acc, t: Tick): Acc {
    // Ticks may come out of order: open and close go by event time, not by arrival.
    if (t.ts < acc.openTs) {
      acc.openTs = t.ts;
      acc.open = t.price;
    }
    if (t.ts >= acc.closeTs) {
      acc.closeTs = t.ts;
      acc.close = t.price;
    }
    acc.high = Math.max(acc.high, t.price);
    acc.low = Math.min(acc.low, t.price);
    acc.volume += t.size;
    acc.pv += t.price * t.size;
    return acc;
  }

  result(acc: Acc): Candle {
    const { open, high, low, close, volume } = acc;
    return { open, high, low, close, volume, vwap: Math.round((acc.pv / volume) * 100) / 100 };
  }
}

export async function main() {
  const candles: WindowResult<Candle>[] = [];
  const late: Tick[] = [];
  const pipeline = createPipeline({
    components: [
      fromArray(ticks, { name: 'ticks', eventTime: (t: Tick) => t.ts, watermark: { maxDelay: '200ms' } }),
      Candles,
      toArray(candles, { name: 'out', from: 'candles' }),
      toArray(late, { name: 'late-ticks', from: 'candles:late' }),
    ],
    batchSize: 1, // one tick at a time, as a live feed delivers them
  });
  const stats = await pipeline.run();
  return { candles, late, windows: stats.stages.candles!.windows! };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { candles, late, windows } = await main();
  for (const c of candles) {
    const { open, high, low, close, volume, vwap } = c.value;
    console.log(
      `${String(c.key).padEnd(4)} [${c.start}, ${c.end})${c.update ? ' update' : '       '}  O ${open} H ${high} L ${low} C ${close}  V ${volume}  VWAP ${vwap}`,
    );
  }
  console.log(`late: ${late.map((t) => `${t.symbol}@${t.ts}`).join(', ')}`);
  console.log(`fired ${windows.fired}, late updates ${windows.lateUpdates}, late to side output ${windows.lateSideOutput}`);
}
