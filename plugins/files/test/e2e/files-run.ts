// PENDING: needs the checkpoint engine (createPipeline's `checkpoints` option, FileCheckpointStore,
// SLUICE_CRASH_POINT), which is on main but not on this branch's base. After merging main, move this
// folder to plugins/files/test/e2e/ (the test tsconfig and the ava glob then pick it up). It passed
// against main 2d54bc5 in a scratch merge: 8 tests (kill -9 at before-checkpoint-write, after-pre-commit,
// before-commit, the 1st and 5th time; a replay from an older checkpoint): every record committed once.
// One run of a checkpointed pipeline from a JSON-lines file to a FileSink: ticks.jsonl (with
// malformed lines, dead-lettered by the source) -> a mapper that advances the virtual clock (a
// checkpoint every 400 records) -> FileSink 'out'. Checkpoints in a FileCheckpointStore.
// SLUICE_CRASH_POINT in the environment makes the engine kill it at that point.
//   node files-run.js <dir>
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createPipeline, defineSink, defineSource, FileCheckpointStore } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { Stage, type Mapper } from '@sluice/sdk';
import { FileSink, JsonLinesSource } from '@sluice/files';

export interface Tick {
  id: number;
  symbol: string;
  size: number;
}

export const COUNT = 6_000;

/** The input: COUNT ticks, every 97th line malformed. */
export function writeInput(path: string): void {
  const lines: string[] = [];
  for (let i = 0; i < COUNT; i++) {
    lines.push(
      i % 97 === 96 ? `{"id":${i},"symbol":` : JSON.stringify({ id: i, symbol: ['AAPL', 'MSFT', 'NVDA'][i % 3], size: 1 + (i % 7) }),
    );
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** A FileSink that takes a moment per batch, so that a run spans many checkpoints. */
class SlowFileSink extends FileSink<string> {
  override async write(batch: readonly string[]): Promise<void> {
    super.write(batch);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export function build(dir: string, sink?: unknown) {
  const input = join(dir, 'ticks.jsonl');
  if (!existsSync(input)) writeInput(input);
  const clock = new VirtualClock();
  let seen = 0;
  @Stage({ name: 'clocked', from: 'ticks' })
  class Clocked implements Mapper<Tick, string> {
    map(t: Tick) {
      if (++seen % 400 === 0) clock.advance(1_000); // a checkpoint every 400 ticks
      return `${t.id} ${t.symbol} ${t.size}`;
    }
  }
  return createPipeline({
    components: [
      defineSource({ name: 'ticks', batchSize: 50 }, new JsonLinesSource<Tick>(input)),
      Clocked,
      defineSink({ name: 'out', from: 'clocked' }, (sink ?? new SlowFileSink({ dir: join(dir, 'out'), name: 'ticks' })) as never),
    ],
    clock,
    channelCapacity: 100, // backpressure from the slow sink spreads the checkpoints over the run
    checkpoints: {
      store: new FileCheckpointStore(join(dir, 'checkpoints')),
      interval: '1s',
      restore: process.env.RESTORE === undefined ? 'latest' : Number(process.env.RESTORE),
    },
  });
}

if (process.argv[2] !== undefined && process.argv[1]?.endsWith('files-run.js')) {
  const pipeline = build(process.argv[2]);
  const stats = await pipeline.run();
  process.stdout.write(`done ${JSON.stringify({ ...stats.checkpoints, deadLettered: stats.sources.ticks!.deadLettered })}\n`);
}
