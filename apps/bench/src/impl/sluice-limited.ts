import { Checksum } from '../workload/checksum.js';
import type { WorkloadVariant } from '../workload/workload-variant.js';
import { tickPipeline } from './sluice.js';

// `sluice` with a rate limiter on the sink that never limits (issue #5's overhead figure): a
// token bucket at a billion records a second, far above what the sink sees, so every write asks
// the limiter (and reads the clock) and is always granted at once. The difference from `sluice`
// is what a limiter costs when it does not hold anything back.
const RATE = 1_000_000_000;

/** Last run's limiter figures, for the report. */
export let detail = '';

export async function run(n: number, variant: WorkloadVariant): Promise<string> {
  const checksum = new Checksum();
  const pipeline = tickPipeline(n, variant, checksum, { rateLimit: { strategy: 'token-bucket', options: { rate: RATE } } });
  const stats = await pipeline.run();
  const sink = stats.sinks.checksum!;
  detail = `limiter: token-bucket at ${sink.limit! / 1e6} M/s, ${sink.records} records in ${sink.batches} writes, throttled ${sink.throttledMs} ms; source backpressured ${stats.sources.ticks!.pausedMs.toFixed(0)} ms`;
  return checksum.toString();
}
