import test from 'ava';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createPipeline, defineSink, fromArray } from '@sluice/core';
import { Stage, type Filter } from '@sluice/sdk';
import { SqliteSink } from '@sluice/sqlite';
import { tempDir } from '../fixtures/temp-dir.js';

interface Tick {
  symbol: string;
  price: number;
  size: number;
}

@Stage({ name: 'valid', from: 'ticks' })
class ValidTicks implements Filter<Tick> {
  filter(t: Tick): boolean {
    return t.size > 0;
  }
}

test('SqliteSink in a pipeline › without checkpoints, flush at end of input commits every record, in order', async (t) => {
  const path = join(tempDir(t), 'ticks.db');
  const ticks: Tick[] = Array.from({ length: 5000 }, (_, i) => ({
    symbol: ['AAPL', 'MSFT', 'XOM'][i % 3]!,
    price: 100 + (i % 50),
    size: i % 7,
  }));
  const sink = new SqliteSink<Tick>({
    path,
    table: 'ticks',
    columns: [
      { name: 'symbol', type: 'TEXT NOT NULL' },
      { name: 'price', type: 'REAL' },
      { name: 'size', type: 'INTEGER' },
    ],
  });
  const stats = await createPipeline({
    components: [fromArray(ticks, { name: 'ticks', batchSize: 256 }), ValidTicks, defineSink({ name: 'db', from: 'valid' }, sink)],
  }).run();
  const want = ticks.filter((x) => x.size > 0);
  t.is(stats.sinks.db!.records, want.length);

  const db = new Database(path, { readonly: true });
  t.teardown(() => db.close());
  t.deepEqual(db.prepare('SELECT symbol, price, size FROM ticks ORDER BY rowid').all(), want);
  t.is(db.prepare('SELECT count(*) FROM ticks_sluice_staging').pluck().get(), 0);
  t.deepEqual(db.prepare('SELECT sink, state, rows FROM sluice_sink_txns').all(), [{ sink: 'db', state: 'committed', rows: want.length }]);
});
