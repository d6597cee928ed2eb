// file: docs/examples/flow-metrics.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromGenerator, SystemClock, toCallback } from '@sluice/core';
import { Stage, type Clock, type Enricher, type LimitChangedEvent, type Mapper, type PipelineStats, type RateLimitOptions } from '@sluice/sdk';

/** An order, as parsed from the feed. */
export interface Order {
  id: number;
  symbol: string;
  size: number;
}

/** The nodes from the source to the sink, in the order records pass them. */
export const PATH = ['orders', 'parsed', 'priced', 'ledger'] as const;

/** Where the time goes: the ledger holds writes to a rate, or pricing answers slowly. */
export type Scenario = 'slow-ledger' | 'slow-pricing';

/**
 * The first node from the source that is not held back (under half of the last second waiting for
 * room downstream) while every node before it is: that node is the slowest. A sink has no such
 * figure: when everything before it waits, it is the sink.
 */
export function bottleneck(stats: PipelineStats, path: readonly string[]): string {
  for (const node of path) {
    const flow = stats.sources[node] ?? stats.stages[node];
    if (flow === undefined || flow.backPressuredTimeMsPerSecond < 500) return node;
  }
  return path.at(-1)!;
}

/**
 * Runs orders → parsed (fused into the source's loop) → priced (an async lookup, its own task) →
 * ledger for 2 s of `clock`, takes `pipeline.stats()` then, and stops.
 */
export async function main(scenario: Scenario, clock: Clock = new SystemClock()) {
  const sleep = (ms: number) => new Promise<void>((resolve) => clock.schedule(clock.now() + ms, resolve));

  @Stage({ name: 'parsed', from: 'orders' })
  class Parsed implements Mapper<Order, Order> {
    map(o: Order) {
      return { ...o, symbol: o.symbol.toUpperCase() };
    }
  }

  // A pricing service answering in 5 ms in the slow scenario (10 calls at once: 2,000 orders/s).
  @Stage({ name: 'priced', from: 'parsed', concurrency: 10, channelCapacity: 500 })
  class Priced implements Enricher<Order, Order & { price: number }> {
    async enrich(o: Order) {
      if (scenario === 'slow-pricing') await sleep(5);
      return { ...o, price: 100 + (o.id % 7) };
    }
  }

  // The ledger accepts 2,000 orders/s in the slow scenario.
  const rateLimit: RateLimitOptions | undefined =
    scenario === 'slow-ledger' ? { strategy: 'token-bucket', options: { rate: '2000/s', burst: 100 } } : undefined;
  const start = clock.now();
  let stats: PipelineStats | undefined;
  const pipeline = createPipeline({
    components: [
      fromGenerator(
        function* () {
          for (let id = 0; ; id++) yield { id, symbol: ['aapl', 'msft', 'xom'][id % 3]!, size: 1 + (id % 50) };
        },
        { name: 'orders', batchSize: 100 },
      ),
      Parsed,
      Priced,
      toCallback(
        () => {
          // Here: write the batch to the ledger. After 2 s, take the stats and stop.
          if (stats === undefined && clock.now() - start >= 2_000) {
            stats = pipeline.stats();
            void pipeline.stop();
          }
        },
        { name: 'ledger', from: 'priced', channelCapacity: 500, ...(rateLimit === undefined ? {} : { rateLimit }) },
      ),
    ],
    clock,
  });
  const limits: LimitChangedEvent[] = [];
  pipeline.events.on('limit-changed', (e) => limits.push(e));
  await pipeline.run();
  return { stats: stats!, limits, bottleneck: bottleneck(stats!, PATH) };
}

/** One line per node: the share of the last second it waited for room downstream, rounded to 10%. */
export function report({ stats, limits, bottleneck }: Awaited<ReturnType<typeof main>>): string[] {
  const lines = limits.map((e) => `${e.kind} '${e.node}' limit: ${e.limit}/s (${e.reason})`);
  for (const node of PATH) {
    const flow = stats.sources[node] ?? stats.stages[node];
    if (flow === undefined) continue;
    const queue = stats.stages[node]?.queueFill;
    const waited = `${Math.round(flow.backPressuredTimeMsPerSecond / 100) * 10}%`;
    lines.push(`${node.padEnd(7)} backpressured ${waited.padStart(4)}${queue === undefined ? '' : `, queue ${queue >= 0.75 ? 'full' : 'not full'}`}`);
  }
  lines.push(`bottleneck: ${bottleneck}`);
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const scenario of ['slow-ledger', 'slow-pricing'] as const) {
    console.log(`${scenario}:`);
    for (const line of report(await main(scenario))) console.log(`  ${line}`);
  }
}
