import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCheckpointStore } from '@sluice/sqlite';
import { TickSource } from '../sluice/tick-stages.js';
import { Checksum } from '../workload/checksum.js';
import type { WorkloadVariant } from '../workload/workload-variant.js';
import { windowPipeline } from './sluice-window.js';

// `sluice-window` with exactly-once checkpoints every second to the SQLite store, the embedded
// default for durable runs (issue #4's overhead figure): the
// source can rewind (its position is the generator's state), every stage's state is snapshotted.

/** The bench's tick source, rewindable: its position is the generator's state. */
class RewindableTickSource extends TickSource {
  position(): unknown {
    return this.generator.state();
  }

  seek(position: unknown): void {
    this.generator.restore(position as ReturnType<TickSource['generator']['state']>);
  }
}

/** Last run's checkpoint figures, for the report. */
export let detail = '';

export async function run(n: number, variant: WorkloadVariant): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-bench-cp-'));
  try {
    const checksum = new Checksum();
    const pipeline = windowPipeline(n, variant, checksum, {
      source: (count, universe) => new RewindableTickSource(count, universe),
      options: { checkpoints: { store: new SqliteCheckpointStore(join(dir, 'checkpoints.db')), interval: '1s', restore: 'none' } },
    });
    const stats = await pipeline.run();
    const cp = stats.checkpoints!;
    detail = `checkpoints: ${cp.completed} stored (SQLite store), longest ${cp.maxDurationMs.toFixed(1)} ms (trigger to stored), largest ${(cp.maxSizeBytes / 1024).toFixed(1)} KB`;
    return checksum.toString();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
