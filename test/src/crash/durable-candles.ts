// The crash test's child process: a durable pipeline from a file of ticks to one-second candles
// per symbol, committed to a transactional file sink and a transactional SQLite sink, with
// checkpoints to the SQLite store. The test kills it (SIGKILL) at random moments or at named
// crash points (SLUICE_CRASH_POINT), restarts it, and compares the committed output with that
// of a run that was never killed.
//
// Usage: node durable-candles.js <ticks.jsonl> <work dir>
// Test hooks, by environment variable:
//   CRASH_TEST_TORN_WRITE=<n>     the n-th checkpoint write stores half the blob, then the process dies
//   CRASH_TEST_COMMIT_THROWS=<n>  the file sink's n-th commit throws (the run fails; a restart commits)
//   CRASH_TEST_STORE=file         checkpoints to a FileCheckpointStore instead of SQLite
//   CRASH_TEST_ANNOUNCE=1         prints `checkpoint <id>` as each checkpoint is stored
import { join } from 'node:path';
import { createPipeline, defineSink, defineSource, FileCheckpointStore } from '@sluice/core';
import { FileSink, JsonLinesDeadLetterSink, JsonLinesSource } from '@sluice/files';
import { SqliteCheckpointStore, SqliteSink } from '@sluice/sqlite';
import { OnError, Stage, Window, type Aggregator, type CheckpointStore, type Mapper, type WindowResult } from '@sluice/sdk';
import type { FileTick } from './tick-file.js';

const [input, work] = process.argv.slice(2);
if (input === undefined || work === undefined) {
  console.error('usage: durable-candles.js <ticks.jsonl> <work dir>');
  process.exit(2);
}

@Stage({ name: 'valid', from: 'ticks' })
@OnError({ then: 'dead-letter' })
class Validate implements Mapper<FileTick, FileTick> {
  map(t: FileTick): FileTick {
    if (!(t.size > 0)) throw new RangeError(`size ${t.size} is not positive`);
    if (!(t.price > 0)) throw new RangeError(`price ${t.price} is not positive`);
    return t;
  }
}

interface Acc {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  notional: number;
  count: number;
}

/** One row per candle. */
export interface CandleRow {
  symbol: string;
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number;
  count: number;
}

@Stage({ name: 'candles', from: 'valid', key: (t: FileTick) => t.symbol })
@Window({ tumbling: '1s' })
class Candles implements Aggregator<FileTick, Acc, Omit<CandleRow, 'symbol' | 'start'>> {
  create(): Acc {
    return { open: 0, high: -Infinity, low: Infinity, close: 0, volume: 0, notional: 0, count: 0 };
  }
  add(a: Acc, t: FileTick): Acc {
    if (a.count === 0) a.open = t.price;
    a.high = Math.max(a.high, t.price);
    a.low = Math.min(a.low, t.price);
    a.close = t.price;
    a.volume += t.size;
    a.notional += t.price * t.size;
    a.count++;
    return a;
  }
  result(a: Acc) {
    return {
      open: a.open,
      high: a.high,
      low: a.low,
      close: a.close,
      volume: a.volume,
      vwap: Math.round((a.notional / a.volume) * 1e4) / 1e4,
      count: a.count,
    };
  }
}

@Stage({ name: 'rows', from: 'candles' })
class ToRow implements Mapper<WindowResult<Omit<CandleRow, 'symbol' | 'start'>>, CandleRow> {
  map(r: WindowResult<Omit<CandleRow, 'symbol' | 'start'>>): CandleRow {
    return { symbol: r.key as string, start: r.start, ...r.value };
  }
}

const COLUMNS = ['symbol', 'start', 'open', 'high', 'low', 'close', 'volume', 'vwap', 'count'] as const;

function hooked(store: CheckpointStore): CheckpointStore {
  const torn = Number(process.env.CRASH_TEST_TORN_WRITE ?? 0);
  let writes = 0;
  return {
    open: (ctx) => store.open?.(ctx),
    write: async (id, data) => {
      if (++writes === torn) {
        await store.write(id, data.subarray(0, data.byteLength >> 1));
        process.kill(process.pid, 'SIGKILL');
      }
      await store.write(id, data);
    },
    read: (id) => store.read(id),
    list: () => store.list(),
    remove: (id) => store.remove(id),
    close: () => store.close?.(),
  };
}

class HookedFileSink extends FileSink<CandleRow> {
  private commits = 0;
  private readonly throwAt = Number(process.env.CRASH_TEST_COMMIT_THROWS ?? 0);
  override commit(handle: unknown): void {
    if (++this.commits === this.throwAt) throw new Error('injected commit failure (CRASH_TEST_COMMIT_THROWS)');
    super.commit(handle);
  }
}

const pipeline = createPipeline({
  name: 'durable-candles',
  components: [
    defineSource<FileTick>(
      { name: 'ticks', eventTime: (t) => t.ts, watermark: { maxDelay: '50ms' } },
      new JsonLinesSource<FileTick>(input),
    ),
    Validate,
    Candles,
    ToRow,
    defineSink({ name: 'file', from: 'rows' }, new HookedFileSink({ dir: join(work, 'out'), name: 'candles' })),
    defineSink(
      { name: 'db', from: 'rows' },
      new SqliteSink<CandleRow>({ path: join(work, 'candles.db'), table: 'candles', columns: [...COLUMNS] }),
    ),
  ],
  checkpoints: {
    store: hooked(
      process.env.CRASH_TEST_STORE === 'file'
        ? new FileCheckpointStore(join(work, 'checkpoints'))
        : new SqliteCheckpointStore(join(work, 'checkpoints.db')),
    ),
    interval: process.env.CRASH_TEST_INTERVAL ?? '100ms',
  },
  deadLetters: new JsonLinesDeadLetterSink(join(work, 'dead-letters.jsonl')),
});

if (process.env.CRASH_TEST_ANNOUNCE === '1') {
  let announced: number | undefined;
  setInterval(() => {
    const id = pipeline.stats().checkpoints?.lastId;
    if (id !== announced) console.log(`checkpoint ${(announced = id)}`);
  }, 5).unref();
}

try {
  const stats = await pipeline.run();
  console.log(
    JSON.stringify({ ok: true, checkpoints: stats.checkpoints, ticks: stats.sources.ticks, file: stats.sinks.file, db: stats.sinks.db }),
  );
} catch (err) {
  console.log(JSON.stringify({ ok: false, code: (err as { code?: string }).code, message: (err as Error).message }));
  process.exitCode = 1;
}
