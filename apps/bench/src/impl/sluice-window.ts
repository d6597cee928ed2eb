import { createPipeline, defineSource, toCallback } from '@sluice/core';
import { Stage, Window, type Aggregator, type WindowResult } from '@sluice/sdk';
import { Notional, Sector, TickSource, ValidTicks } from '../sluice/tick-stages.js';
import { Checksum } from '../workload/checksum.js';
import type { Candle, RichTick, Tick } from '../workload/tick.js';

// The same workload with the engine's own windows: @Window on a keyed aggregate, event time
// and a watermark of max ts − 50 ms declared on the source.

class CandleAcc {
  open = 0;
  high = -Infinity;
  low = Infinity;
  close = 0;
  volume = 0;
  notional = 0;
  count = 0;
}

type CandleValue = Omit<Candle, 'symbol' | 'windowStart'>;

@Stage({ name: 'candles', from: 'enriched', key: (t: RichTick) => t.symbol })
@Window({ tumbling: '1s' })
class Candles implements Aggregator<RichTick, CandleAcc, CandleValue> {
  create(): CandleAcc {
    return new CandleAcc();
  }

  add(acc: CandleAcc, t: RichTick): CandleAcc {
    const price = t.price;
    if (acc.count === 0) acc.open = price;
    if (price > acc.high) acc.high = price;
    if (price < acc.low) acc.low = price;
    acc.close = price;
    acc.volume += t.size;
    acc.notional += t.notional;
    acc.count++;
    return acc;
  }

  result(acc: CandleAcc): CandleValue {
    return {
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

/** The tick workload with @Window: source → filter → map → map → windowed aggregate → sink. */
export async function run(n: number): Promise<string> {
  const checksum = new Checksum();
  const pipeline = createPipeline({
    name: 'bench-window',
    components: [
      defineSource<Tick>({ name: 'ticks', eventTime: (t) => t.ts, watermark: { maxDelay: 50 } }, new TickSource(n)),
      ValidTicks,
      Notional,
      Sector,
      Candles,
      toCallback<WindowResult<CandleValue>>(
        (batch) => {
          for (let i = 0; i < batch.length; i++) {
            const w = batch[i]!;
            checksum.add({ symbol: w.key as string, windowStart: w.start, ...w.value });
          }
        },
        { name: 'checksum', from: 'candles' },
      ),
    ],
  });
  await pipeline.run();
  return checksum.toString();
}
