// Measures what a checkpoint costs with SqliteCheckpointStore (write latency of 1 KB and 1 MB
// blobs, synchronous = FULL) and what SqliteSink sustains (rows/s staged, then committed).
// Short on purpose (a few seconds): node plugins/sqlite/dist-test/bench/write-latency.js [dir]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SqliteCheckpointStore, SqliteSink } from '@sluice/sqlite';
import { blob } from '../fixtures/temp-dir.js';

const dir = mkdtempSync(join(process.argv[2] ?? tmpdir(), 'sluice-sqlite-bench-'));
const ms = (x: number) => x.toFixed(2);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

try {
  const store = new SqliteCheckpointStore(join(dir, 'checkpoints.db'));
  store.open({ pipeline: 'bench' });
  let id = 0;
  for (const [label, size, count] of [
    ['1 KB', 1024, 300],
    ['1 MB', 1024 * 1024, 40],
  ] as const) {
    const data = blob(size, 1);
    for (let i = 0; i < 5; i++) store.write(++id, data); // warm up
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const start = performance.now();
      store.write(++id, data);
      times.push(performance.now() - start);
      if (id > 10) store.remove(id - 10); // what the engine does with retain = 10
    }
    times.sort((a, b) => a - b);
    const mean = times.reduce((a, b) => a + b, 0) / times.length;
    console.log(
      `checkpoint write ${label}: n=${count} mean ${ms(mean)} ms, p50 ${ms(quantile(times, 0.5))} ms, p99 ${ms(quantile(times, 0.99))} ms, max ${ms(times.at(-1)!)} ms`,
    );
  }
  store.close();

  const rows = 200_000;
  const batch = 1000;
  const records = Array.from({ length: batch }, (_, i) => ({ symbol: i % 2 === 0 ? 'AAPL' : 'MSFT', price: 100 + i / 100, size: i }));
  const sink = new SqliteSink<(typeof records)[number]>({
    path: join(dir, 'sink.db'),
    table: 'ticks',
    columns: ['symbol', { name: 'price', type: 'REAL' }, { name: 'size', type: 'INTEGER' }],
  });
  sink.open({ name: 'db' });
  let staged = 0;
  let committed = 0;
  for (let n = 0, cp = 1; n < rows; n += batch) {
    let start = performance.now();
    sink.write(records);
    staged += performance.now() - start;
    if ((n + batch) % 20_000 === 0) {
      start = performance.now();
      sink.commit(sink.preCommit(cp++)); // a checkpoint every 20k rows
      committed += performance.now() - start;
    }
  }
  sink.close();
  const total = staged + committed;
  console.log(
    `sink: ${rows} rows in batches of ${batch}, checkpoint every 20000: write ${ms(staged)} ms, preCommit+commit ${ms(committed)} ms, ` +
      `${Math.round(rows / (total / 1000)).toLocaleString('en-US')} rows/s end to end`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
