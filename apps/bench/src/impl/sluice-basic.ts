import { Checksum } from '../workload/checksum.js';
import type { WorkloadVariant } from '../workload/workload-variant.js';
import { tickPipeline } from './sluice.js';

// `sluice` with `metrics: 'basic'`: the counters only, no busy meters, latency histograms nor
// end-to-end stamps. The difference from `sluice` (detailed metrics, the default) is what
// monitoring costs (issue #6 wants at most 5%).

export async function run(n: number, variant: WorkloadVariant): Promise<string> {
  const checksum = new Checksum();
  await tickPipeline(n, variant, checksum, {}, 'basic').run();
  return checksum.toString();
}
