import { createPipeline, toCallback } from '@sluice/core';
import {
  EndOfStreamError,
  Inject,
  Source,
  Stage,
  Window,
  type Aggregator,
  type Filter,
  type Mapper,
  type SourceConnector,
  type WindowResult,
} from '@sluice/sdk';
import { Checksum } from '../workload/checksum.js';
import { isValid, withNotional, withSector } from '../workload/stages.js';
import type { NotionalTick, RichTick, Tick } from '../workload/tick.js';
import { TickGenerator } from '../workload/tick-generator.js';

const TICK_COUNT = Symbol('tickCount');

// The same workload with the engine's own windows: @Window on a keyed aggregate, event time
// and a watermark of max ts − 50 ms declared on the source.
@Source<Tick>({ name: 'ticks', eventTime: (t) => t.ts, watermark: { maxDelay: 50 } })
class TickSource implements SourceConnector<Tick> {
  private readonly generator: TickGenerator;
  private readonly batch: Tick[] = [];

  constructor(@Inject(TICK_COUNT) n: number) {
    this.generator = new TickGenerator(n);
  }

  read(max: number): readonly Tick[] {
    const count = this.generator.fill(this.batch, max);
    if (count === 0) throw new EndOfStreamError();
    if (count < this.batch.length) this.batch.length = count;
    return this.batch;
  }
}

@Stage({ name: 'valid', from: 'ticks' })
class ValidTicks implements Filter<Tick> {
  filter(t: Tick): boolean {
    return isValid(t);
  }
}

@Stage({ name: 'priced', from: 'valid' })
class Notional implements Mapper<Tick, NotionalTick> {
  map(t: Tick): NotionalTick {
    return withNotional(t);
  }
}

@Stage({ name: 'enriched', from: 'priced' })
class Sector implements Mapper<NotionalTick, RichTick> {
  map(t: NotionalTick): RichTick {
    return withSector(t);
  }
}

class CandleAcc {
  open = 0;
  high = -Infinity;
  low = Infinity;
  close = 0;
  volume = 0;
  notional = 0;
  count = 0;
}

interface CandleValue {
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly vwap: number;
  readonly count: number;
}

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
      TickSource,
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
    providers: [{ provide: TICK_COUNT, useValue: n }],
  });
  await pipeline.run();
  return checksum.toString();
}
