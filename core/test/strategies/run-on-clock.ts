import type { Pipeline } from '@sluice/core';
import type { VirtualClock } from '@sluice/core/testing';
import type { PipelineStats } from '@sluice/sdk';

/** Runs a pipeline on a virtual clock until it ends (see `VirtualClock.run`). */
export function runOnClock(pipeline: Pipeline, clock: VirtualClock, limit = 10_000): Promise<PipelineStats> {
  return clock.run(pipeline.run(), limit);
}
