// file: docs/examples/checkpoints.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, MemoryCheckpointStore, toArray, defineSink } from '@sluice/core';
import { VirtualClock } from '@sluice/core/testing';
import { Stage, Window, type Aggregator, type CheckpointStore, type Mapper, type SinkConnector, type WindowResult } from '@sluice/sdk';

export interface Tick {
  symbol: string;
  ts: number;
  size: number;
}

// 3,000 ticks of 3 symbols over 30 seconds of event time.
export const ticks: Tick[] = Array.from({ length: 3_000 }, (_, i) => ({ symbol: ['AAPL', 'MSFT', 'NVDA'][i % 3]!, ts: i * 10, size: 1 + (i % 7) }));

@Stage({ name: 'volume', from: 'ticks', key: (t: Tick) => t.symbol })
@Window({ tumbling: '1s' })
export class Volume implements Aggregator<Tick, number, number> {
  create() {
    return 0;
  }
  add(sum: number, t: Tick) {
    return sum + t.size;
  }
  result(sum: number) {
    return sum;
  }
}

/**
 * A transactional sink over a "table" that outlives the process (here, an array passed in):
 * rows written since the last checkpoint wait in an open transaction; pre-commit puts them
 * aside under the checkpoint's id; commit makes them visible, once.
 */
export class LedgerSink implements SinkConnector<WindowResult<number>> {
  private pending: WindowResult<number>[] = [];

  constructor(private readonly ledger: { rows: WindowResult<number>[]; staged: Map<number, WindowResult<number>[]>; committed: Set<number> }) {}

  write(batch: readonly WindowResult<number>[]) {
    this.pending.push(...batch);
  }

  preCommit(checkpointId: number) {
    this.ledger.staged.set(checkpointId, this.pending);
    this.pending = [];
    return checkpointId;
  }

  commit(handle: unknown) {
    const id = handle as number;
    if (this.ledger.committed.has(id)) return; // idempotent: a restart may commit again
    this.ledger.rows.push(...(this.ledger.staged.get(id) ?? []));
    this.ledger.staged.delete(id);
    this.ledger.committed.add(id);
  }

  recover(pending: readonly unknown[]) {
    for (const handle of pending) this.commit(handle);
    this.ledger.staged.clear(); // written after the checkpoint: those rows will come again
  }
}

/** One run of the pipeline; `crashAt` kills it (cancels it) at that tick. */
export async function runOnce(store: CheckpointStore, ledger: LedgerSink['ledger'], crashAt?: number) {
  // The checkpoint interval runs on the pipeline's clock. A test clock that moves one second
  // every 250 ticks makes this example print the same thing every time; real runs use the wall clock.
  const clock = new VirtualClock();
  const crash = new AbortController();
  let seen = 0;
  @Stage({ name: 'ticks', from: 'feed' })
  class Clocked implements Mapper<Tick, Tick> {
    map(t: Tick) {
      if (++seen % 250 === 0) clock.advance(1_000);
      if (seen === crashAt) crash.abort();
      return t;
    }
  }
  const pipeline = createPipeline({
    components: [
      fromArray(ticks, { name: 'feed', eventTime: (t: Tick) => t.ts }),
      Clocked,
      Volume,
      defineSink({ name: 'ledger', from: 'volume' }, new LedgerSink(ledger)),
    ],
    batchSize: 100,
    clock,
    signal: crash.signal,
    checkpoints: { store, interval: '1s' },
  });
  const outcome = await pipeline.run().then(
    () => 'completed',
    (e: Error) => `crashed (${e.message})`,
  );
  return { outcome, stats: pipeline.stats() };
}

export async function main() {
  const store = new MemoryCheckpointStore();
  const ledger = { rows: [] as WindowResult<number>[], staged: new Map(), committed: new Set<number>() };
  const lines: string[] = [];

  const first = await runOnce(store, ledger, 1_700);
  lines.push(`run 1: ${first.outcome}; ${first.stats.checkpoints!.completed} checkpoints stored; ${ledger.rows.length} candles committed`);

  const second = await runOnce(store, ledger);
  const cp = second.stats.checkpoints!;
  lines.push(
    `run 2: ${second.outcome}; restored checkpoint ${cp.restoredFrom}, read ${second.stats.sources.feed!.records} ticks; ${ledger.rows.length} candles committed`,
  );

  const expected: WindowResult<number>[] = [];
  await createPipeline({ components: [fromArray(ticks, { name: 'ticks', eventTime: (t: Tick) => t.ts }), Volume, toArray(expected, { name: 'out', from: 'volume' })] }).run();
  const same = JSON.stringify(ledger.rows) === JSON.stringify(expected);
  lines.push(`same candles as a run that never crashed: ${same} (${expected.length} candles, none twice, none lost)`);
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) for (const line of await main()) console.log(line);
