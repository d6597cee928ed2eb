import type { Pipeline } from '@sluice/core';
import type { VirtualClock } from '@sluice/core/testing';
import type { PipelineStats } from '@sluice/sdk';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Runs a pipeline on a virtual clock: lets it work until it is waiting on the clock (several
 * turns of the event loop), then moves the clock to the next scheduled call, and so on until
 * the run ends. Time moves only here, so every wait is exact and no test depends on real time.
 */
export async function runOnClock(pipeline: Pipeline, clock: VirtualClock, limit = 10_000): Promise<PipelineStats> {
  let settled = false;
  const run = pipeline.run().finally(() => {
    settled = true;
  });
  run.catch(() => undefined);
  for (let step = 0; step < limit && !settled; step++) {
    for (let i = 0; i < 20 && !settled; i++) await turn();
    if (settled) break;
    const next = clock.nextTime;
    if (next !== undefined) clock.set(Math.max(next, clock.now()));
  }
  return run;
}
