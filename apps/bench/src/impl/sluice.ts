import { createPipeline, toCallback, type Pipeline, type PipelineOptions } from '@sluice/core';
import { Inject, PIPELINE_MONITOR, Stage, type PipelineMonitor, type Processor, type SinkOptions, type StageContext } from '@sluice/sdk';
import { Notional, Sector, SYMBOL_UNIVERSE, TICK_COUNT, TickSource, ValidTicks, WORKLOAD_VARIANT } from '../sluice/tick-stages.js';
import { CandleWindows } from '../workload/candle-windows.js';
import { Checksum } from '../workload/checksum.js';
import { SymbolUniverse } from '../workload/symbol-universe.js';
import type { Candle, RichTick } from '../workload/tick.js';
import type { WorkloadVariant } from '../workload/workload-variant.js';

// The window step as a process stage around the shared window logic, as BENCH.md prescribes for
// every implementation; `sluice-window` runs the engine's own @Window instead.
@Stage({ name: 'candles', from: 'enriched' })
class Candles implements Processor<RichTick, Candle> {
  private readonly windows: CandleWindows;

  constructor(@Inject(WORKLOAD_VARIANT) variant: WorkloadVariant) {
    this.windows = new CandleWindows(variant.sizeMs, variant.slideMs);
  }

  process(t: RichTick, ctx: StageContext<Candle>): void {
    this.windows.add(t, ctx.emit);
  }

  flush(ctx: StageContext<Candle>): void {
    this.windows.flush(ctx.emit);
  }
}

/** The tick workload on Sluice: source → filter → map → map → process(windows) → sink. */
export async function run(n: number, variant: WorkloadVariant): Promise<string> {
  const checksum = new Checksum();
  await tickPipeline(n, variant, checksum).run();
  return checksum.toString();
}

/**
 * The pipeline of `run`; `sink` adds options to its sink (`sluice-limited` gives it a rate limit),
 * `metrics` picks what the engine measures (`sluice-basic`: the counters only), `monitors` watch it
 * (`sluice-monitored`: the monitoring server, scraped).
 */
export function tickPipeline(
  n: number,
  variant: WorkloadVariant,
  checksum: Checksum,
  sink: Pick<SinkOptions, 'rateLimit'> = {},
  metrics: PipelineOptions['metrics'] = 'detailed',
  monitors: readonly PipelineMonitor[] = [],
): Pipeline {
  return createPipeline({
    name: 'bench',
    metrics,
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
        { name: 'checksum', from: 'candles', ...sink },
      ),
    ],
    providers: [
      { provide: TICK_COUNT, useValue: n },
      { provide: SYMBOL_UNIVERSE, useValue: new SymbolUniverse(variant.symbols) },
      { provide: WORKLOAD_VARIANT, useValue: variant },
      ...monitors.map((m) => ({ provide: PIPELINE_MONITOR, useValue: m })),
    ],
  });
}
