import { createPipeline, toCallback } from '@sluice/core';
import { Stage, type Processor, type StageContext } from '@sluice/sdk';
import { Notional, Sector, TICK_COUNT, TickSource, ValidTicks } from '../sluice/tick-stages.js';
import { CandleWindows } from '../workload/candle-windows.js';
import { Checksum } from '../workload/checksum.js';
import type { Candle, RichTick } from '../workload/tick.js';

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
