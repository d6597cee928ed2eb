import { createPipeline, toCallback } from '@sluice/core';
import {
  EndOfStreamError,
  Inject,
  Source,
  Stage,
  type Filter,
  type Mapper,
  type Processor,
  type SourceConnector,
  type StageContext,
} from '@sluice/sdk';
import { CandleWindows } from '../workload/candle-windows.js';
import { Checksum } from '../workload/checksum.js';
import { isValid, withNotional, withSector } from '../workload/stages.js';
import type { Candle, NotionalTick, RichTick, Tick } from '../workload/tick.js';
import { TickGenerator } from '../workload/tick-generator.js';

const TICK_COUNT = Symbol('tickCount');

@Source({ name: 'ticks' })
class TickSource implements SourceConnector<Tick> {
  private readonly generator: TickGenerator;
  // The engine is done with a batch before it reads again, so one array is reused.
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

// The window step as a process stage around the shared window logic, as BENCH.md asks until
// @Window executes (issue #3).
@Stage({ name: 'candles', from: 'enriched' })
class Candles implements Processor<RichTick, Candle> {
  private readonly windows = new CandleWindows();

  process(t: RichTick, ctx: StageContext<Candle>): void {
    this.windows.add(t, ctx.emit);
  }

  flush(ctx: StageContext<Candle>): void {
    this.windows.flush(ctx.emit);
  }
}

/** The tick workload on Sluice: source → filter → map → map → process(windows) → sink. */
export async function run(n: number): Promise<string> {
  const checksum = new Checksum();
  const pipeline = createPipeline({
    name: 'bench',
    components: [
      TickSource,
      ValidTicks,
      Notional,
      Sector,
      Candles,
      toCallback<Candle>(
        (batch) => {
          for (let i = 0; i < batch.length; i++) checksum.add(batch[i]!);
        },
        { name: 'checksum', from: 'candles' },
      ),
    ],
    providers: [{ provide: TICK_COUNT, useValue: n }],
  });
  await pipeline.run();
  return checksum.toString();
}
