import test from 'ava';
import { createPipeline, defineSource, MemoryCheckpointStore } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { Stage, type Mapper } from '@sluice/sdk';
import { AsyncArraySource, Disk, txnSink } from './memory-txn-sink.js';

/** A broker-like source: commit() is where it would acknowledge messages; every call is logged. */
class AckingSource extends AsyncArraySource<number> {
  constructor(
    items: readonly number[],
    private readonly log: string[],
    private readonly failCommits = false,
  ) {
    super(items);
  }
  commit(position: unknown): void {
    this.log.push(`commit ${String(position)}`);
    if (this.failCommits) throw new Error('broker unreachable');
  }
}

/** A memory store that logs its writes, so a commit can be checked to follow its checkpoint's write. */
class LoggingStore extends MemoryCheckpointStore {
  constructor(private readonly log: string[]) {
    super();
  }
  override write(id: number, data: Uint8Array): void {
    this.log.push(`write ${id}`);
    super.write(id, data);
  }
}

function run(items: number[], log: string[], opts: { failCommits?: boolean; messages?: string[] } = {}) {
  const clock = new VirtualClock();
  let seen = 0;
  @Stage({ name: 'tick', from: 'src' })
  class Tick implements Mapper<number, number> {
    map(n: number) {
      if (++seen % 50 === 0) clock.advance(1000); // a checkpoint every 50 records or so
      return n;
    }
  }
  const disk = new Disk<number>();
  const pipeline = createPipeline({
    components: [defineSource({ name: 'src' }, new AckingSource(items, log, opts.failCommits)), Tick, txnSink('out', 'tick', disk)],
    batchSize: 10,
    clock,
    checkpoints: { store: new LoggingStore(log), interval: 1000, log: (m) => opts.messages?.push(m) },
  });
  return { pipeline, disk };
}

test('source commit › a source commits each stored checkpoint’s position, after the write, in order, ending with its last position', async (t) => {
  const log: string[] = [];
  const items = Array.from({ length: 400 }, (_, i) => i);
  const { pipeline, disk } = run(items, log);
  await pipeline.run();
  t.deepEqual(disk.committed, items);

  const commits = log.filter((l) => l.startsWith('commit')).map((l) => Number(l.split(' ')[1]));
  t.true(commits.length >= 4, `commits: ${log.join(', ')}`);
  for (let i = 1; i < commits.length; i++) t.true(commits[i]! > commits[i - 1]!, `positions increase: ${commits.join(', ')}`);
  t.is(commits.at(-1), 400, 'the final checkpoint commits the end of the input');
  // Each commit follows the write of a checkpoint that no earlier commit followed.
  let writes = 0;
  let used = 0;
  for (const line of log) {
    if (line.startsWith('write')) writes++;
    else {
      used++;
      t.true(used <= writes, `commit after its checkpoint's write: ${log.join(', ')}`);
    }
  }
});

test('source commit › a failing commit is logged and the run goes on to the same output', async (t) => {
  const log: string[] = [];
  const messages: string[] = [];
  const items = Array.from({ length: 200 }, (_, i) => i);
  const { pipeline, disk } = run(items, log, { failCommits: true, messages });
  const stats = await pipeline.run();
  t.deepEqual(disk.committed, items);
  t.true(stats.checkpoints!.completed >= 2);
  t.true(
    messages.some((m) => /source 'src' could not release what checkpoint \d+ covers: broker unreachable/.test(m)),
    messages.join('\n'),
  );
});
